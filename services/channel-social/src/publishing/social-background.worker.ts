import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { fromBinary, OutcomeStatus, SocialRequestSchema } from "@cascade/contracts";
import { SendRecovery, type Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, SOCIAL_SCHEMA, type SocialConfig } from "../social.config.js";
import { publishOutcomes, socialOutcome } from "./social-outcomes.js";
import { PublishSocialPostUseCase } from "./use-cases/publish-social-post.use-case.js";

/**
 * libs/compliance's SendRecovery for posts: releases deferred posts that are due (schedule reached, platform
 * limit freed, retry after a 429) and reconciles posts left `sending` by a crash. The platforms offer no look-up
 * by our key, so such a post is reported FAILED with reason send_state_unknown — never reposted blindly.
 */
@Injectable()
export class SocialBackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SocialBackgroundWorker.name);
  private readonly recovery: SendRecovery;

  constructor(
    dataSource: DataSource,
    relays: OutboxRelays,
    publishSocialPost: PublishSocialPostUseCase,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
    @Inject(SOCIAL_CLOCK) clock: Clock,
  ) {
    this.recovery = new SendRecovery({
      dataSource,
      schema: SOCIAL_SCHEMA,
      clock,
      inFlightTimeoutMs: config.SOCIAL_IN_FLIGHT_TIMEOUT_MS,
      release: (post) =>
        publishSocialPost.execute({ request: fromBinary(SocialRequestSchema, post.payload), source: "deferred" }),
      reportUnknown: (manager, entry, now) =>
        publishOutcomes(manager, [
          socialOutcome({ ...entry, platform: entry.provider ?? "", runId: "", nodeId: "", workflowId: "" }, now, {
            status: OutcomeStatus.FAILED,
            reason: "send_state_unknown",
            details: {
              ledger_state: "unknown",
              message: "the service stopped while this post was in flight; it was not reposted",
            },
          }),
        ]),
      onReported: () => relays.notify(SOCIAL_SCHEMA),
      onError: (message) => this.logger.error(message),
    });
  }

  onApplicationBootstrap(): void {
    this.recovery.start(this.config.SOCIAL_DEFERRED_POLL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.recovery.stop();
  }

  /** One round; returns how many deferred posts were released and in-flight posts reconciled. */
  runOnce(): Promise<{ released: number; reconciled: number }> {
    return this.recovery.runOnce();
  }
}
