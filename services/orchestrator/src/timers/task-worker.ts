import { Injectable, Logger, type OnModuleDestroy } from "@nestjs/common";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { OrchestratorConfig } from "../config/orchestrator-config.js";
import { stepKeyOf } from "../engine/engine.js";
import type { RunInput } from "../engine/engine-types.js";
import { evaluationContext } from "../engine/evaluation-context.js";
import { backoffMs, retryPolicyOf } from "../engine/retry-policy.js";
import { contactWithPatch } from "../engine/run-state.js";
import { TaskExecutor } from "../external/task-executor.js";
import { ORCHESTRATOR_SCHEMA, RunExecutor } from "../runs/run-executor.js";
import type { DueTimer } from "../runs/runs.repository.js";

/**
 * Runs the external work of integration nodes outside any transaction: claims due `task` timers with a lease
 * (SKIP LOCKED; a crashed worker's task returns when the lease ends), performs the call, then commits the
 * result to the run (success, a retry with exponential backoff, or failure after the node's last attempt).
 */
@Injectable()
export class TaskWorker implements OnModuleDestroy {
  private readonly log = new Logger("TaskWorker");
  private readonly executor: TaskExecutor;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly config: OrchestratorConfig,
  ) {
    this.executor = new TaskExecutor(config.values);
  }

  /** Asks for a round now (after a commit that created tasks). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** One or more rounds until no due task is left; resolves when done (tests and the poller await it). */
  async runDue(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
    await this.executor.close();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        for (;;) {
          const claimed = await this.claim();
          if (claimed.length === 0) break;
          await Promise.all(claimed.map((task) => this.perform(task)));
        }
      } catch (error) {
        this.log.error(`task round failed: ${String(error)}`);
      }
    } while (this.again && !this.stopped);
  }

  private async claim(): Promise<DueTimer[]> {
    const now = this.runs.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.values.ORCHESTRATOR_TASK_LEASE_MS);
    return this.dataSource.transaction((manager) =>
      this.runs.runs.leaseDueTasks(manager, now, leaseUntil, this.config.values.ORCHESTRATOR_TASK_CONCURRENCY),
    );
  }

  private async perform(task: DueTimer): Promise<void> {
    const manager = this.dataSource.manager;
    const run = await this.runs.runs.find(manager, task.runId);
    const token = run?.state.tokens.find((candidate) => candidate.id === task.tokenId);
    if (!run || !token || token.wait?.kind !== "task" || token.nodeId !== task.nodeId) {
      await this.runs.runs.deleteTimer(manager, task.id);
      return;
    }
    const attempt = token.wait.attempt;
    const definition = await this.runs.definitionOf(manager, run);
    const contact = contactWithPatch(
      await this.runs.contacts.view(manager, run.workspace, run.contactId),
      run.state.contactPatch,
    );
    const now = this.runs.clock.now();
    const env = { now, run, definition, contact, teams: this.config.values.ORCHESTRATOR_TEAMS };
    const outcome = await this.executor.execute({
      run,
      definition,
      node: definition.node(task.nodeId),
      context: evaluationContext(env, contact, run.state.vars, run.state.triggerEvent, run.state.triggerPayload),
      idempotencyKey: `${run.runId}:${stepKeyOf(token)}`,
      now,
      broadcastDone: (key) => this.runs.runs.broadcastDone(manager, run.workspace, key),
    });
    const policy = retryPolicyOf(definition, task.nodeId, {
      maxAttempts: this.config.values.ORCHESTRATOR_RETRY_MAX_ATTEMPTS,
      initialDelayMs: this.config.values.ORCHESTRATOR_RETRY_INITIAL_DELAY_MS,
      maxDelayMs: this.config.values.ORCHESTRATOR_RETRY_MAX_DELAY_MS,
    });
    await this.dataSource.transaction(async (tx) => {
      const locked = await this.runs.runs.lock(tx, task.runId);
      const current = locked?.state.tokens.find((candidate) => candidate.id === task.tokenId);
      // Another replica finished this attempt after our lease ran out, or the run moved on: drop our result.
      if (
        !locked ||
        current?.wait?.kind !== "task" ||
        current.wait.attempt !== attempt ||
        !(await this.runs.runs.timerExists(tx, task.id))
      )
        return;
      await this.runs.runs.deleteTimer(tx, task.id);
      let input: RunInput;
      if (outcome.ok) {
        if (outcome.broadcastKey)
          await this.runs.runs.claimBroadcast(tx, locked.workspace, outcome.broadcastKey, locked.runId);
        input = { type: "task_succeeded", tokenId: task.tokenId, result: outcome.result };
      } else if (outcome.error.retryable && attempt < policy.maxAttempts) {
        const retryAt = new Date(this.runs.clock.now().getTime() + backoffMs(policy, attempt + 1));
        input = { type: "task_retry", tokenId: task.tokenId, error: outcome.error, retryAt };
      } else {
        input = { type: "task_failed", tokenId: task.tokenId, error: outcome.error };
      }
      await this.runs.apply(tx, locked, input, definition);
    });
    this.relays.notify(ORCHESTRATOR_SCHEMA);
  }
}
