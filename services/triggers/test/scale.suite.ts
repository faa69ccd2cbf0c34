import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type TestPlatform } from "@cascade/testing";
import { globMatches } from "@cascade/workflow";
import { TriggerRegistry } from "../src/index.js";
import type { CompiledWorkflow } from "../src/matching/compiled-trigger.js";
import { unknownContact } from "../src/matching/evaluation-context.js";
import { holds } from "../src/matching/event-matcher.js";
import { eventViewOf, type InboundEvent } from "../src/matching/inbound-event.js";
import { compiledWorkflowMix, mixedEvent } from "../src/matching/workflow-mix.js";
import { toSnapshot } from "../src/matching/workflow-snapshot.js";
import { cleanUpWorkspace, CommandLog, makeEvent, publishEvents, startTriggers } from "./triggers-test-kit.js";

const WORKFLOWS = 10_000;
const EVENTS = 300;

/**
 * The reference answer, with no index at all: every trigger of every workflow checked against the event.
 * Each event has its own contact, so count windows (min 3) never fire.
 */
function naiveMatches(workflows: readonly CompiledWorkflow[], event: InboundEvent): string[] {
  const context = { event: eventViewOf(event), contact: unknownContact(event.contactId) };
  const matched: string[] = [];
  for (const workflow of workflows) {
    for (const trigger of workflow.triggers) {
      let applies = false;
      if (trigger.kind === "event") applies = trigger.eventName === event.name;
      else if (trigger.kind === "webhook")
        applies = event.name === "webhook_received" && event.properties["hook_id"] === trigger.hookId;
      else if (trigger.kind === "behavioral") {
        applies =
          trigger.eventNames.includes(event.name) &&
          trigger.windows.length === 0 &&
          (trigger.urlPatterns.length === 0 ||
            trigger.urlPatterns.some(
              (pattern) => event.lowerUrl !== undefined && globMatches(event.lowerUrl, pattern),
            ));
      }
      if (applies && holds(trigger.filter, context, event.occurredAt))
        matched.push(`${workflow.workflowId}|${event.contactId}`);
    }
  }
  return matched;
}

/** 10,000 active workflows with a realistic mix of triggers; called from triggers.int-spec.ts. */
export function scaleSuite(): void {
  describe("10,000 active workflows", () => {
    let platform: TestPlatform;
    let log: CommandLog;
    let workflows: CompiledWorkflow[];

    beforeAll(async () => {
      platform = await startTriggers();
      log = await CommandLog.start(platform);
      workflows = compiledWorkflowMix(platform.workspaceId, WORKFLOWS);
      // Stored as the definitions consumer stores them (compiled snapshots), then loaded the way a replica starts.
      const rows = workflows.map((workflow) => [workflow.workflowId, JSON.stringify(toSnapshot(workflow))] as const);
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await platform.database.dataSource.query(
          `INSERT INTO triggers.workflows (workspace_id, workflow_id, version, status, definition_json, compiled)
           SELECT $1, id, 1, 'published', '{}', compiled::jsonb FROM unnest($2::text[], $3::text[]) AS t(id, compiled)`,
          [platform.workspaceId, chunk.map((row) => row[0]), chunk.map((row) => row[1])],
        );
      }
      const registry = platform.app.get(TriggerRegistry);
      await registry.refresh();
      expect(registry.index.workflow(platform.workspaceId, `wf-${WORKFLOWS - 1}`)).toBeDefined();
    });

    afterAll(async () => {
      await log?.close();
      if (platform) await cleanUpWorkspace(platform);
      await platform?.close();
    });

    it("starts exactly the runs a brute-force check of every workflow expects", async () => {
      const events = Array.from({ length: EVENTS }, (_, i) => {
        const { name, properties } = mixedEvent(i);
        return makeEvent(platform, { name, contactId: `sc-${i}`, properties });
      });
      const expected = events
        .flatMap((event) => {
          const { name, properties } = mixedEvent(Number(event.contactId.slice(3)));
          const url = typeof properties["url"] === "string" ? properties["url"].toLowerCase() : undefined;
          const inbound: InboundEvent = {
            messageId: event.envelope!.id,
            workspaceId: platform.workspaceId,
            contactId: event.contactId,
            name,
            occurredAt: new Date(),
            properties,
            context: {},
            lowerUrl: url,
          };
          return naiveMatches(workflows, inbound);
        })
        .sort();
      expect(expected.length).toBeGreaterThan(100);

      await publishEvents(platform, events);
      await eventually(async () => (log.starts().length >= expected.length ? true : undefined), 40_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const started = log
        .starts()
        .map((start) => `${start.workflowId}|${start.contactId}`)
        .sort();
      expect(started).toEqual(expected);
    });
  });
}
