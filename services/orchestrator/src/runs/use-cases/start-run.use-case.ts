import { Inject, Injectable, Logger } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { v7 as uuidv7 } from "uuid";
import { DataSource, type EntityManager } from "typeorm";
import { CLOCK, type Clock } from "../../clock/clock.js";
import { triggerEventOf } from "../../engine/evaluation-context.js";
import { emptyRunState } from "../../engine/run-state.js";
import { OrchestratorError } from "../../orchestrator-error.js";
import { TaskWorker } from "../../timers/task-worker.js";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../run-executor.js";

export interface StartRunCommand {
  /** Envelope id of the command: a redelivered command starts nothing. */
  readonly commandId: string;
  readonly workspaceId: string;
  readonly workflowId: string;
  /** Absent: the workflow's current published version. */
  readonly version?: number;
  readonly contactId: string;
  readonly triggerId: string;
  readonly triggerPayload: Readonly<Record<string, unknown>>;
}

export type StartRunResult =
  | { readonly outcome: "started"; readonly runId: string }
  | { readonly outcome: "duplicate" }
  | { readonly outcome: "skipped"; readonly reason: "reentry_once" | "reentry_period" | "already_active" };

/**
 * Starts one run: resolves the version (the run stays on it), enforces the re-entry policy and the single
 * active run per workflow and contact, then advances the run as far as it goes without waiting.
 */
@Injectable()
export class StartRunUseCase {
  private readonly log = new Logger("StartRunUseCase");

  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: StartRunCommand): Promise<StartRunResult> {
    const holder: { result: StartRunResult } = { result: { outcome: "duplicate" } };
    await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.commandId },
      async (manager) => {
        holder.result = await this.startIn(manager, command);
      },
    );
    const { result } = holder;
    if (result.outcome === "started") {
      this.relays.notify(ORCHESTRATOR_SCHEMA);
      this.tasks.kick();
    } else if (result.outcome === "skipped") {
      this.log.log(`start of ${command.workflowId} for ${command.contactId} skipped: ${result.reason}`);
    }
    return result;
  }

  /** The start itself, inside the caller's transaction (also used by manual starts). */
  async startIn(manager: EntityManager, command: StartRunCommand): Promise<StartRunResult> {
    const { workspaceId, workflowId, contactId } = command;
    const version = await this.resolveVersion(manager, command);
    const definition = await this.executor.definitionOf(manager, { workspace: workspaceId, workflowId, version });
    const { settings } = definition.definition;
    // Serialises starts of this workflow for this contact across replicas until the transaction ends.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${workspaceId}|${workflowId}|${contactId}`]);
    const now = this.clock.now();
    const runs = this.executor.runs;
    if (
      settings.reentry.policy === "once" &&
      (await runs.startedSince(manager, workspaceId, workflowId, contactId, new Date(0)))
    ) {
      return { outcome: "skipped", reason: "reentry_once" };
    }
    if (settings.reentry.policy === "once_per_period") {
      const since = new Date(now.getTime() - (settings.reentry.periodDays ?? 1) * 86_400_000);
      if (await runs.startedSince(manager, workspaceId, workflowId, contactId, since))
        return { outcome: "skipped", reason: "reentry_period" };
    }
    const exclusive = settings.allowConcurrentRuns !== true;
    if (exclusive && (await runs.hasActive(manager, workspaceId, workflowId, contactId)))
      return { outcome: "skipped", reason: "already_active" };

    const runId = uuidv7();
    const state = emptyRunState(command.triggerPayload, triggerEventOf(command.triggerPayload));
    const run = { runId, workspace: workspaceId, workflowId, version, contactId, startedAt: now.toISOString() };
    const watchesContact = settings.goal !== undefined || (settings.exitConditions?.length ?? 0) > 0;
    const inserted = await runs.insert(manager, {
      ...run,
      exclusive,
      watchesContact,
      state,
      startCommandId: command.commandId,
    });
    if (!inserted) return { outcome: "skipped", reason: "already_active" };
    await this.executor.apply(
      manager,
      { ...run, status: "running", state },
      { type: "start", triggerNodeId: command.triggerId || undefined },
      definition,
    );
    return { outcome: "started", runId };
  }

  private async resolveVersion(manager: EntityManager, command: StartRunCommand): Promise<number> {
    const { workspaceId, workflowId } = command;
    if (command.version !== undefined) {
      const known = await this.executor.definitions.compiledVersion(manager, workspaceId, workflowId, command.version);
      if (!known)
        throw new OrchestratorError(
          "UNKNOWN_VERSION",
          `workflow '${workflowId}' has no published version ${command.version} in workspace '${workspaceId}'`,
        );
      return command.version;
    }
    const head = await this.executor.definitions.head(manager, workspaceId, workflowId);
    if (!head)
      throw new OrchestratorError(
        "UNKNOWN_WORKFLOW",
        `workflow '${workflowId}' is not published in workspace '${workspaceId}'`,
      );
    if (head.status === "archived")
      throw new OrchestratorError("WORKFLOW_ARCHIVED", `workflow '${workflowId}' is archived: no new runs`);
    return head.version;
  }
}
