import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { fromBinary, OutcomeStatus, SmsRequestSchema } from "@cascade/contracts";
import { DeferredSends, SendLedger, type Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SMS_CLOCK, SMS_CONFIG, SMS_SCHEMA, type SmsConfig } from "../sms.config.js";
import { publishOutcomes, smsOutcome } from "./sms-outcomes.js";
import { SendSmsUseCase } from "./use-cases/send-sms.use-case.js";

const BATCH = 50;

/**
 * Two periodic jobs: release deferred sends that are due (quiet hours over, schedule reached, provider retry),
 * and reconcile sends left `sending` by a crash. Twilio and MessageBird offer no look-up by our idempotency
 * key, so such a send is marked `unknown` and reported as a FAILED outcome with reason send_state_unknown —
 * never resent blindly. A later delivery report still settles it.
 */
@Injectable()
export class SmsBackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SmsBackgroundWorker.name);
  private readonly ledger = new SendLedger(SMS_SCHEMA);
  private readonly deferred = new DeferredSends(SMS_SCHEMA);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly sendSms: SendSmsUseCase,
    @Inject(SMS_CONFIG) private readonly config: SmsConfig,
    @Inject(SMS_CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.round) return; // the previous round is still running
      this.round = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`background round failed: ${String(error)}`))
        .finally(() => (this.round = undefined));
    }, this.config.SMS_DEFERRED_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round of both jobs; returns how many deferred sends were released and in-flight sends reconciled. */
  async runOnce(): Promise<{ released: number; reconciled: number }> {
    const reconciled = await this.reconcileInFlight();
    const due = await this.deferred.due(this.dataSource.manager, this.clock.now(), BATCH);
    for (const send of due) {
      try {
        await this.sendSms.execute({ request: fromBinary(SmsRequestSchema, send.payload), source: "deferred" });
      } catch (error) {
        this.logger.error(`deferred send ${send.idempotencyKey} failed: ${String(error)}`);
      }
    }
    return { released: due.length, reconciled };
  }

  private async reconcileInFlight(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.SMS_IN_FLIGHT_TIMEOUT_MS);
    const count = await this.dataSource.transaction(async (manager) => {
      const stale = await this.ledger.lockStaleInFlight(manager, cutoff, BATCH);
      for (const entry of stale) {
        await this.ledger.transition(manager, entry, ["sending"], "unknown", now, { reason: "send_state_unknown" });
        await publishOutcomes(manager, [
          smsOutcome(entry, now, {
            status: OutcomeStatus.FAILED,
            reason: "send_state_unknown",
            provider: entry.provider ?? "",
            details: {
              ledger_state: "unknown",
              message: "the service stopped while this send was in flight; it was not resent",
            },
          }),
        ]);
      }
      return stale.length;
    });
    if (count > 0) this.relays.notify(SMS_SCHEMA);
    return count;
  }
}
