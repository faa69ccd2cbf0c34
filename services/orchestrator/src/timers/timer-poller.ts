import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from "@nestjs/common";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { OrchestratorConfig } from "../config/orchestrator-config.js";
import { ORCHESTRATOR_SCHEMA, RunExecutor } from "../runs/run-executor.js";
import { TaskWorker } from "./task-worker.js";

/**
 * Fires due timers (delays, wait timeouts, merge timeouts): every poll interval it asks the Clock for now,
 * claims due timers with FOR UPDATE SKIP LOCKED (replicas share them, none fires twice), advances each run
 * and deletes the timer in the same transaction. Then lets the task worker pick up due tasks.
 */
@Injectable()
export class TimerPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger("TimerPoller");
  private handle: NodeJS.Timeout | undefined;
  /** Rounds run one after another: a pollNow() during a round waits for it, then runs its own. */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
    private readonly config: OrchestratorConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
    await this.chain.catch(() => undefined);
  }

  /** Fires every timer due now (by the Clock); returns how many fired. Safe to call concurrently with the loop. */
  async pollNow(): Promise<number> {
    const round = this.chain
      .catch(() => undefined)
      .then(async () => {
        const fired = await this.fireDue();
        await this.tasks.runDue();
        return fired;
      });
    this.chain = round;
    return round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.handle = setTimeout(() => {
      this.pollNow()
        .catch((error: unknown) => this.log.error(`timer poll failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.config.values.ORCHESTRATOR_TIMER_POLL_MS);
    this.handle.unref();
  }

  /** Fires due timers in ORCHESTRATOR_TIMER_WORKERS concurrent transactions until none is due. */
  private async fireDue(): Promise<number> {
    const workers = Array.from({ length: this.config.values.ORCHESTRATOR_TIMER_WORKERS }, () => this.fireDueLoop());
    const fired = (await Promise.all(workers)).reduce((sum, count) => sum + count, 0);
    return fired;
  }

  /**
   * One worker: claims a batch (SKIP LOCKED, so workers and replicas never take the same timer), advances each
   * run and deletes its timer in the same transaction; repeats while batches come back full. A run locked
   * elsewhere (another worker, an event being handled) is skipped, never waited for, so there is no deadlock;
   * its timer comes back in the next round.
   */
  private async fireDueLoop(): Promise<number> {
    const batch = this.config.values.ORCHESTRATOR_TIMER_BATCH;
    let fired = 0;
    for (;;) {
      const now = this.executor.clock.now();
      const count = await this.dataSource.transaction(async (manager) => {
        const due = await this.executor.runs.claimDue(manager, now, batch);
        let handled = 0;
        for (const timer of due) {
          // A run another transaction holds is left for the next round; waiting for it could deadlock (that
          // holder may be deleting timers of the same run that this batch claimed).
          const run = await this.executor.runs.tryLock(manager, timer.runId);
          if (run === "busy") continue;
          handled += 1;
          await this.executor.runs.deleteTimer(manager, timer.id);
          if (!run || timer.kind === "task") continue;
          await this.executor.apply(manager, run, { type: "timer", tokenId: timer.tokenId, kind: timer.kind });
        }
        return handled;
      });
      fired += count;
      if (count > 0) this.relays.notify(ORCHESTRATOR_SCHEMA);
      if (count < batch || this.stopped) return fired;
    }
  }
}
