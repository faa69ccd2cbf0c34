import type { DataSource, EntityManager } from "typeorm";
import type { Clock } from "./clock.js";
import { DeferredSends, type DeferredSend } from "./deferred-sends.js";
import { SendLedger, type SendLedgerEntry } from "./send-ledger.js";

export interface SendRecoveryOptions {
  readonly dataSource: DataSource;
  /** The service schema holding `send_ledger` and `deferred_sends`. */
  readonly schema: string;
  readonly clock: Clock;
  /** A send still `sending` after this long was cut off by a crash. */
  readonly inFlightTimeoutMs: number;
  /** Rows taken per round from each table. */
  readonly batch?: number;
  /** Hands a due deferred send back to the send path (which removes it in its own transaction). */
  readonly release: (send: DeferredSend) => Promise<unknown>;
  /** Reports a send now marked `unknown` (a FAILED send_state_unknown outcome), in the same transaction. */
  readonly reportUnknown: (manager: EntityManager, entry: SendLedgerEntry, now: Date) => Promise<void>;
  /** Called after a round that wrote outcomes (to wake the outbox relay). */
  readonly onReported?: () => void;
  readonly onError: (message: string) => void;
}

/**
 * The two recovery jobs of a channel service whose providers offer no look-up by our idempotency key (SMS,
 * social): sends left `sending` by a crash become `unknown` and are reported, never resent blindly; deferred
 * sends that are due (quiet hours over, schedule reached, retry time) go back to the send path. `start` runs
 * rounds every `intervalMs`, one at a time; `runOnce` is one round (tests call it directly).
 */
export class SendRecovery {
  private readonly ledger: SendLedger;
  private readonly deferred: DeferredSends;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly options: SendRecoveryOptions) {
    this.ledger = new SendLedger(options.schema);
    this.deferred = new DeferredSends(options.schema);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.round) return; // the previous round is still running
      this.round = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError(`background round failed: ${String(error)}`))
        .finally(() => (this.round = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round of both jobs; returns how many deferred sends were released and in-flight sends reconciled. */
  async runOnce(): Promise<{ released: number; reconciled: number }> {
    const { dataSource, clock, release, onError } = this.options;
    const batch = this.options.batch ?? 50;
    const reconciled = await this.reconcileInFlight(batch);
    const due = await this.deferred.due(dataSource.manager, clock.now(), batch);
    for (const send of due) {
      try {
        await release(send);
      } catch (error) {
        onError(`deferred send ${send.idempotencyKey} failed: ${String(error)}`);
      }
    }
    return { released: due.length, reconciled };
  }

  private async reconcileInFlight(batch: number): Promise<number> {
    const { dataSource, clock, inFlightTimeoutMs, reportUnknown } = this.options;
    const now = clock.now();
    const cutoff = new Date(now.getTime() - inFlightTimeoutMs);
    const count = await dataSource.transaction(async (manager) => {
      const stale = await this.ledger.lockStaleInFlight(manager, cutoff, batch);
      for (const entry of stale) {
        await this.ledger.transition(manager, entry, ["sending"], "unknown", now, { reason: "send_state_unknown" });
        await reportUnknown(manager, entry, now);
      }
      return stale.length;
    });
    if (count > 0) this.options.onReported?.();
    return count;
  }
}
