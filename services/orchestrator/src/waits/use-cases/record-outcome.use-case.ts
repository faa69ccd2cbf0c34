import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../../runs/run-executor.js";

export interface RecordOutcomeCommand {
  readonly messageId: string;
  readonly runId: string;
  /** `<run>:<step key>[:<recipient>]`, as the orchestrator put it on the request. */
  readonly idempotencyKey: string;
  /** Lower-case status name, e.g. `sent`, `delivered`, `bounced_hard`. */
  readonly status: string;
}

/** Keeps the latest channel outcome on the step execution that sent the request (analytics, live monitoring). */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
  ) {}

  async execute(command: RecordOutcomeCommand): Promise<"processed" | "duplicate"> {
    const prefix = `${command.runId}:`;
    if (!command.idempotencyKey.startsWith(prefix)) return "processed";
    const stepKey = command.idempotencyKey
      .slice(prefix.length)
      .split(":")
      .filter((part) => !part.includes("@"))
      .join(":");
    return handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.messageId },
      async (manager) => {
        await this.executor.runs.recordOutcome(manager, command.runId, stepKey, command.status);
      },
    );
  }
}
