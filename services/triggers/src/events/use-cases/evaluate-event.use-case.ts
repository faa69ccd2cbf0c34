import { Injectable } from "@nestjs/common";
import { Topics, type JsonObject, type WorkflowCommand } from "@cascade/contracts";
import { handleOnce, Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { TriggersConfig } from "../../config/triggers.config.js";
import { ContactProjectionRepository } from "../../contacts/contact-projection.repository.js";
import { TriggerRegistry } from "../../definitions/trigger-registry.js";
import { RunStarter } from "../../entry/run-starter.js";
import { cancelRunCommand } from "../../entry/workflow-commands.js";
import { unknownContact, type ContactView, type TriggerContext } from "../../matching/evaluation-context.js";
import { holds } from "../../matching/event-matcher.js";
import { eventViewOf, type InboundEvent } from "../../matching/inbound-event.js";
import { TRIGGERS_SCHEMA, TriggersGroups } from "../../shared/constants.js";
import { TriggersMetrics } from "../../shared/triggers-metrics.js";
import { WindowRepository } from "../../windows/window.repository.js";

/**
 * Evaluates one events.v1 event: event, behavioural and webhook triggers that match it start runs (after their
 * counting windows and the entry rules), and goal / exit conditions it satisfies cancel runs. Windows, starts
 * and the outbox commands commit with the processed-message record, so a replayed event changes nothing.
 */
@Injectable()
export class EvaluateEventUseCase {
  private readonly contacts = new ContactProjectionRepository();
  private readonly windows = new WindowRepository();
  private readonly outbox = new Outbox(TRIGGERS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly registry: TriggerRegistry,
    private readonly starter: RunStarter,
    private readonly config: TriggersConfig,
    private readonly metrics: TriggersMetrics,
  ) {}

  async execute(event: InboundEvent): Promise<"processed" | "duplicate" | "skipped"> {
    const candidates = this.registry.matcher.candidates(event);
    const ends = this.registry.index.endConditionsForEvent(event.workspaceId, event.name);
    // The common case: nothing cares about this event; no transaction at all.
    if (candidates.triggers.length === 0 && ends.length === 0) return "skipped";

    let commands: WorkflowCommand[] = [];
    const result = await handleOnce(
      this.dataSource,
      { schema: TRIGGERS_SCHEMA, group: TriggersGroups.events, messageId: event.messageId },
      async (manager) => {
        const needsContact = candidates.needsContact || ends.some((end) => end.condition.expression.readsContact);
        const contact = needsContact
          ? ((await this.contacts.find(manager, event.workspaceId, event.contactId)) ?? unknownContact(event.contactId))
          : undefined;
        commands = [
          ...(await this.cancels(manager, event, contact, ends)),
          ...(await this.starts(manager, event, contact, candidates.triggers)),
        ];
        if (commands.length > 0)
          await this.outbox.add(
            manager,
            Topics.WorkflowCommandsV1,
            commands.map((value) => ({ value })),
          );
      },
    );
    if (commands.length > 0) this.relays.notify(TRIGGERS_SCHEMA);
    return result;
  }

  private async starts(
    manager: EntityManager,
    event: InboundEvent,
    contact: ContactView | undefined,
    candidates: Parameters<TriggerRegistry["matcher"]["match"]>[1],
  ): Promise<WorkflowCommand[]> {
    const commands: WorkflowCommand[] = [];
    for (const trigger of this.registry.matcher.match(event, candidates, contact)) {
      if (trigger.kind === "behavioral" && trigger.windows.length > 0) {
        const outcome = await this.windows.count(manager, {
          workspaceId: event.workspaceId,
          triggerKey: trigger.key,
          contactId: event.contactId,
          eventId: event.messageId,
          eventTime: event.occurredAt,
          windows: trigger.windows,
          allowedLatenessMs: this.config.allowedLatenessMs,
        });
        this.metrics.windowOutcomes.inc({ outcome });
        if (outcome !== "fired") continue;
      }
      const command = await this.starter.start(manager, {
        workflow: trigger.workflow,
        trigger,
        kind: trigger.kind,
        triggerId: trigger.nodeId,
        contactId: event.contactId,
        contact,
        at: event.occurredAt,
        causeId: event.messageId,
        payload: payloadOf(event),
      });
      if (command) commands.push(command);
    }
    return commands;
  }

  private async cancels(
    manager: EntityManager,
    event: InboundEvent,
    contact: ContactView | undefined,
    ends: ReturnType<TriggerRegistry["index"]["endConditionsForEvent"]>,
  ): Promise<WorkflowCommand[]> {
    if (ends.length === 0) return [];
    const context: TriggerContext = { event: eventViewOf(event), contact };
    const commands: WorkflowCommand[] = [];
    const cancelled = new Set<string>();
    for (const { workflow, condition } of ends) {
      if (cancelled.has(workflow.workflowId) || !holds(condition.expression, context, event.occurredAt)) continue;
      cancelled.add(workflow.workflowId);
      if (
        !(await this.starter.entryGate.closeEnrolment(manager, event.workspaceId, workflow.workflowId, event.contactId))
      )
        continue;
      this.metrics.cancels.inc({ reason: condition.reason });
      commands.push(
        cancelRunCommand({
          workspaceId: event.workspaceId,
          workflowId: workflow.workflowId,
          contactId: event.contactId,
          reason: `${condition.reason}: ${condition.expression.source}`,
          causeId: event.messageId,
          occurredAt: event.occurredAt,
        }),
      );
    }
    return commands;
  }
}

/** What a run started by an event can read about it (StartRun.trigger_payload). */
function payloadOf(event: InboundEvent): JsonObject {
  return {
    event: event.name,
    event_id: event.messageId,
    timestamp: event.occurredAt.toISOString(),
    properties: event.properties,
  };
}
