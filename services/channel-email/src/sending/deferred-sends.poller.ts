import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { EmailRequestSchema, fromBinary } from "@cascade/contracts";
import { DataSource } from "typeorm";
import { CLOCK, type Clock } from "../clock.js";
import { EMAIL_CONFIG, type EmailConfig } from "../config/email-config.js";
import { DeferredSendsRepository } from "./deferred-sends.repository.js";
import { SendLedgerRepository } from "./send-ledger.repository.js";
import { SendEmailUseCase } from "./use-cases/send-email.use-case.js";

const BATCH = 50;
/** A claimed deferred send is hidden from other replicas this long; a crash makes it due again after. */
const LEASE_MS = 5 * 60_000;

/**
 * Sends deferred mail when due (quiet hours over, provider back, best time reached) and reconciles sends left
 * `sending` by a crash. Runs on every replica; rows are claimed with SKIP LOCKED so each is handled once.
 */
@Injectable()
export class DeferredSendsPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("channel-email:deferred");
  private readonly deferred = new DeferredSendsRepository();
  private readonly ledger = new SendLedgerRepository();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sendEmail: SendEmailUseCase,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.EMAIL_DEFERRED_POLL_INTERVAL);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round: due deferred sends, then stuck in-flight sends. Public so tests can drive it. */
  async runOnce(): Promise<{ sent: number; reconciled: number }> {
    const now = this.clock.now();
    const due = await this.dataSource.transaction((manager) => this.deferred.claimDue(manager, now, LEASE_MS, BATCH));
    for (const entry of due) {
      try {
        await this.sendEmail.execute(fromBinary(EmailRequestSchema, entry.request), "deferred");
      } catch (error) {
        this.logger.error(
          `deferred send ${entry.idempotencyKey} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const stuck = await this.ledger.stuckSending(
      this.dataSource.manager,
      new Date(now.getTime() - this.config.EMAIL_RECONCILE_AFTER),
      BATCH,
    );
    for (const record of stuck) {
      try {
        await this.sendEmail.reconcile(record);
      } catch (error) {
        this.logger.error(
          `reconciling ${record.idempotencyKey} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return { sent: due.length, reconciled: stuck.length };
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error(`poll failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
