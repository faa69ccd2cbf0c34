import { Injectable } from "@nestjs/common";
import { timestampDate, type WorkflowRunEvent } from "@cascade/contracts";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { STUDIO_GROUP, STUDIO_SCHEMA } from "../../studio.constants.js";
import { effectsOf, kindName } from "../run-event-effects.js";
import { RunStatsRepository } from "../run-stats.repository.js";
import { StatsNotifier } from "../stats-notifier.js";

/**
 * Applies one workflow.runs.v1 event to the studio's read model: per-node counters, the run's row and its
 * timeline, all with the processed-messages record in one transaction (a redelivery changes nothing).
 */
@Injectable()
export class RecordRunEventUseCase {
  private readonly stats = new RunStatsRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: StatsNotifier,
  ) {}

  async execute(messageId: string, event: WorkflowRunEvent): Promise<"processed" | "duplicate" | "skipped"> {
    const workspaceId = event.envelope?.workspace ?? "";
    if (workspaceId === "" || event.runId === "" || event.workflowId === "") return "skipped";
    const at = event.envelope?.occurredAt ? timestampDate(event.envelope.occurredAt) : new Date();
    const result = await handleOnce(
      this.dataSource,
      { schema: STUDIO_SCHEMA, group: STUDIO_GROUP, messageId },
      async (manager) => {
        const previous = await this.stats.findRun(manager, workspaceId, event.runId);
        const effects = effectsOf(event, previous);
        const version = previous?.version ?? event.version;
        for (const change of effects.counters) {
          await this.stats.addToCounter(
            manager,
            { workspaceId, workflowId: event.workflowId, version, nodeId: change.nodeId },
            change.counter,
            change.delta,
            at,
          );
        }
        await this.stats.upsertRun(manager, workspaceId, {
          runId: event.runId,
          workflowId: event.workflowId,
          version,
          contactId: event.contactId,
          status: effects.status,
          waitingNodeId: effects.waitingNodeId,
          at,
          finished: effects.finished,
        });
        await this.stats.addTimelineEntry(manager, workspaceId, event.runId, {
          messageId,
          kind: kindName(event.kind),
          nodeId: event.nodeId,
          nodeKind: event.nodeKind,
          status: effects.status,
          branch: event.branch,
          error: event.error ? { code: event.error.code, message: event.error.message } : null,
          durationMs: event.nodeDurationMs || event.runDurationMs || null,
          occurredAt: at.toISOString(),
        });
      },
    );
    if (result === "processed") this.notifier.changed(workspaceId, event.workflowId);
    return result;
  }
}
