import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { checkExpression, evaluateCondition } from "@cascade/workflow";
import { DataSource } from "typeorm";
import { OrchestratorError } from "../../orchestrator-error.js";
import { TaskWorker } from "../../timers/task-worker.js";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../run-executor.js";
import { StartRunUseCase } from "./start-run.use-case.js";

export interface ManualStartCommand {
  readonly commandId: string;
  readonly workspaceId: string;
  readonly workflowId: string;
  readonly version?: number;
  readonly audience: { readonly contacts: readonly string[] } | { readonly filter: string };
  readonly triggerPayload: Readonly<Record<string, unknown>>;
  readonly requestedBy: string;
}

/**
 * Starts a workflow for many contacts: an explicit list, or every known contact matching a filter expression
 * (evaluated on the orchestrator's contact projection). Each contact goes through the same re-entry and
 * single-active-run rules as a trigger start; all starts commit together with the command's ledger entry.
 */
@Injectable()
export class ManualStartUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly startRun: StartRunUseCase,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
  ) {}

  async execute(command: ManualStartCommand): Promise<{ result: "processed" | "duplicate"; started: number }> {
    let started = 0;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.commandId },
      async (manager) => {
        const contacts: string[] = [];
        if ("contacts" in command.audience) {
          contacts.push(...command.audience.contacts);
        } else {
          const checked = checkExpression(command.audience.filter, { expect: "boolean" });
          if (!checked.ok) {
            throw new OrchestratorError(
              "INVALID_COMMAND",
              `manual_start.filter: ${checked.errors.map((e) => e.message).join("; ")}`,
            );
          }
          const now = this.executor.clock.now();
          for await (const contact of this.executor.contacts.all(manager, command.workspaceId)) {
            if (evaluateCondition(checked.ast, { contact }, { now })) contacts.push(contact.id);
          }
        }
        for (const contactId of [...new Set(contacts)]) {
          const outcome = await this.startRun.startIn(manager, {
            commandId: `${command.commandId}:${contactId}`,
            workspaceId: command.workspaceId,
            workflowId: command.workflowId,
            version: command.version,
            contactId,
            triggerId: "",
            triggerPayload: { ...command.triggerPayload, requested_by: command.requestedBy },
          });
          if (outcome.outcome === "started") started++;
        }
      },
    );
    if (started > 0) {
      this.relays.notify(ORCHESTRATOR_SCHEMA);
      this.tasks.kick();
    }
    return { result, started };
  }
}
