import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { TaskWorker } from "../../timers/task-worker.js";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../run-executor.js";

export interface ResumeRunCommand {
  readonly commandId: string;
  readonly workspaceId: string;
  readonly runId: string;
  readonly nodeId: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** Wakes the run waiting at nodeId (a delay continues, a wait_for_event takes its `event` branch). */
@Injectable()
export class ResumeRunUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
  ) {}

  async execute(command: ResumeRunCommand): Promise<"processed" | "duplicate" | "skipped"> {
    let changed = false;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.commandId },
      async (manager) => {
        const run = await this.executor.runs.lock(manager, command.runId);
        if (!run || run.workspace !== command.workspaceId) return;
        changed = (
          await this.executor.apply(manager, run, { type: "resume", nodeId: command.nodeId, payload: command.payload })
        ).changed;
      },
    );
    if (changed) {
      this.relays.notify(ORCHESTRATOR_SCHEMA);
      this.tasks.kick();
    }
    return result === "processed" && !changed ? "skipped" : result;
  }
}
