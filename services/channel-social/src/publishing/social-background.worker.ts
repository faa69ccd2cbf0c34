import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { fromBinary, OutcomeStatus, SocialRequestSchema } from "@cascade/contracts";
import { DeferredSends, SendLedger, type Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, SOCIAL_SCHEMA, type SocialConfig } from "../social.config.js";
import { publishOutcomes, socialOutcome } from "./social-outcomes.js";
import { PublishSocialPostUseCase } from "./use-cases/publish-social-post.use-case.js";

const BATCH = 50;

/**
 * Releases deferred posts that are due (schedule reached, platform limit freed, retry after a 429) and
 * reconciles posts left `sending` by a crash. The platforms offer no look-up by our key, so such a post is
 * marked `unknown` and reported FAILED with reason send_state_unknown — never reposted blindly.
 */
@Injectable()
export class SocialBackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SocialBackgroundWorker.name);
  private readonly ledger = new SendLedger(SOCIAL_SCHEMA);
  private readonly deferred = new DeferredSends(SOCIAL_SCHEMA);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly publishSocialPost: PublishSocialPostUseCase,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
    @Inject(SOCIAL_CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.round) return; // the previous round is still running
      this.round = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`background round failed: ${String(error)}`))
        .finally(() => (this.round = undefined));
    }, this.config.SOCIAL_DEFERRED_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round; returns how many deferred posts were released and in-flight posts reconciled. */
  async runOnce(): Promise<{ released: number; reconciled: number }> {
    const reconciled = await this.reconcileInFlight();
    const due = await this.deferred.due(this.dataSource.manager, this.clock.now(), BATCH);
    for (const post of due) {
      try {
        await this.publishSocialPost.execute({
          request: fromBinary(SocialRequestSchema, post.payload),
          source: "deferred",
        });
      } catch (error) {
        this.logger.error(`deferred post ${post.idempotencyKey} failed: ${String(error)}`);
      }
    }
    return { released: due.length, reconciled };
  }

  private async reconcileInFlight(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.SOCIAL_IN_FLIGHT_TIMEOUT_MS);
    const count = await this.dataSource.transaction(async (manager) => {
      const stale = await this.ledger.lockStaleInFlight(manager, cutoff, BATCH);
      for (const entry of stale) {
        await this.ledger.transition(manager, entry, ["sending"], "unknown", now, { reason: "send_state_unknown" });
        const reference = { ...entry, platform: entry.provider ?? "", runId: "", nodeId: "", workflowId: "" };
        await publishOutcomes(manager, [
          socialOutcome(reference, now, {
            status: OutcomeStatus.FAILED,
            reason: "send_state_unknown",
            details: {
              ledger_state: "unknown",
              message: "the service stopped while this post was in flight; it was not reposted",
            },
          }),
        ]);
      }
      return stale.length;
    });
    if (count > 0) this.relays.notify(SOCIAL_SCHEMA);
    return count;
  }
}
