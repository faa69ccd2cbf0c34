import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../run-executor.js";

export interface CancelRunCommand {
  readonly commandId: string;
  readonly workspaceId: string;
  readonly contactId: string;
  /** One run; when empty, every active run of workflowId for the contact. */
  readonly runId: string;
  readonly workflowId: string;
  readonly reason: string;
}

/** Cancels one run or every active run of a workflow for a contact; their timers and waits go with them. */
@Injectable()
export class CancelRunUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(command: CancelRunCommand): Promise<{ result: "processed" | "duplicate"; cancelled: number }> {
    let cancelled = 0;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.commandId },
      async (manager) => {
        const runs = command.runId
          ? [await this.executor.runs.lock(manager, command.runId)].filter(
              (run) => run !== undefined && run.workspace === command.workspaceId,
            )
          : await this.executor.runs.lockActiveOfContact(manager, command.workspaceId, command.contactId, {
              workflowId: command.workflowId || undefined,
            });
        for (const run of runs) {
          if (!run) continue;
          const advanced = await this.executor.apply(manager, run, {
            type: "cancel",
            reason: command.reason || "cancelled",
          });
          if (advanced.changed) cancelled++;
        }
      },
    );
    if (cancelled > 0) this.relays.notify(ORCHESTRATOR_SCHEMA);
    return { result, cancelled };
  }
}
