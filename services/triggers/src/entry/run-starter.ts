import { Injectable } from "@nestjs/common";
import type { JsonObject, WorkflowCommand } from "@cascade/contracts";
import type { EntityManager } from "typeorm";
import type { CompiledTrigger } from "../matching/compiled-trigger.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { EntryGate, type EntryRequest } from "./entry-gate.js";
import { startRunCommand } from "./workflow-commands.js";

export interface StartRequest extends EntryRequest {
  /** What kind of trigger fired (metrics); `manual` for API starts. */
  kind: CompiledTrigger["kind"];
  /** The trigger node id carried in StartRun.trigger_id. */
  triggerId: string;
  payload: JsonObject;
}

/** Applies the entry rules and, when admitted, builds the StartRun command (the caller writes it to the outbox). */
@Injectable()
export class RunStarter {
  private readonly gate = new EntryGate();

  constructor(private readonly metrics: TriggersMetrics) {}

  get entryGate(): EntryGate {
    return this.gate;
  }

  async start(manager: EntityManager, request: StartRequest): Promise<WorkflowCommand | undefined> {
    const decision = await this.gate.admit(manager, request);
    if (decision !== "admitted") {
      this.metrics.refusedEntries.inc({ reason: decision });
      return undefined;
    }
    this.metrics.started.inc({ kind: request.kind });
    return startRunCommand({
      workspaceId: request.workflow.workspaceId,
      workflowId: request.workflow.workflowId,
      version: request.workflow.version,
      contactId: request.contactId,
      triggerId: request.triggerId,
      payload: request.payload,
      causeId: request.causeId,
      occurredAt: request.at,
    });
  }
}
