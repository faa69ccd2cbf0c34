import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { outcomeWaitKey } from "../../engine/engine-types.js";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../../runs/run-executor.js";
import { TaskWorker } from "../../timers/task-worker.js";

export interface RecordOutcomeCommand {
  readonly messageId: string;
  readonly runId: string;
  /** `<run>:<step key>[:<recipient>]`, as the orchestrator put it on the request. */
  readonly idempotencyKey: string;
  /** Lower-case status name, e.g. `sent`, `delivered`, `bounced_hard`. */
  readonly status: string;
  /** Why (skipped, failed, bounced): e.g. `opted_out`, `quiet_hours`. */
  readonly reason: string;
}

/**
 * Keeps the latest channel outcome on the step execution that sent the request (analytics, live monitoring)
 * and moves a channel node that waits for this outcome (`waitForOutcome`) down its `sent` / `not_sent` handle.
 */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
  ) {}

  async execute(command: RecordOutcomeCommand): Promise<"processed" | "duplicate"> {
    const prefix = `${command.runId}:`;
    if (!command.idempotencyKey.startsWith(prefix)) return "processed";
    const stepKey = command.idempotencyKey
      .slice(prefix.length)
      .split(":")
      .filter((part) => !part.includes("@"))
      .join(":");
    let changed = false;
    const { runs } = this.executor;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.messageId },
      async (manager) => {
        await runs.recordOutcome(manager, command.runId, stepKey, command.status);
        if (!(await runs.hasWait(manager, command.runId, outcomeWaitKey(command.idempotencyKey)))) return;
        const run = await runs.lock(manager, command.runId);
        if (!run) return;
        const advanced = await this.executor.apply(manager, run, {
          type: "outcome",
          idempotencyKey: command.idempotencyKey,
          status: command.status,
          reason: command.reason,
        });
        changed = advanced.changed;
      },
    );
    if (changed) {
      this.relays.notify(ORCHESTRATOR_SCHEMA);
      this.tasks.kick();
    }
    return result;
  }
}
