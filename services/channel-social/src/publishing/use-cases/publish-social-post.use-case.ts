import { Inject, Injectable } from "@nestjs/common";
import {
  clone,
  OutcomeStatus,
  SocialPlatform,
  SocialRequestSchema,
  timestampDate,
  toBinary,
  type JsonObject,
  type SocialRequest,
} from "@cascade/contracts";
import { DeferredSends, FrequencyCap, SendLedger, type Clock, type SendLedgerEntry } from "@cascade/compliance";
import { NonRetryableError, type HandlerResult } from "@cascade/bus";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { SOCIAL_CLOCK, SOCIAL_CONFIG, SOCIAL_SCHEMA, type SocialConfig } from "../../social.config.js";
import { platformEnum, platformKey, platformName, type PlatformName } from "../platforms.js";
import { checkPost, extractHashtags } from "../post-constraints.js";
import { SocialProviderError, type OutgoingPost } from "../providers/social-provider.js";
import { publishOutcomes, referenceOf, socialOutcome, type PostReference } from "../social-outcomes.js";
import { SocialPostsRepository } from "../social-posts.repository.js";
import { dailyLimit, SocialPublishersRegistry } from "../social-publishers.registry.js";

export interface PublishSocialPostCommand {
  request: SocialRequest;
  /** `request`: from channel.social.requests.v1; `deferred`: released by the deferred poller (one platform). */
  source: "request" | "deferred";
}

interface PostPlan {
  reference: PostReference;
  post: OutgoingPost;
  attempt: number;
  details: JsonObject;
  request: SocialRequest;
}

const DAY_MS = 86_400_000;

/**
 * Publishes one social_post request to each of its platforms under the delivery contract. Per platform, with
 * the key `${request key}:${platform}`: check the text and media limits, the schedule, the platform's daily
 * limit, and record the key as `sending` — all in one committed transaction — then call the platform, then
 * record the result and its outcome together through the outbox. A known key is never posted again; a
 * scheduled or rate-limited post waits in deferred_sends and comes back here, one platform at a time.
 */
@Injectable()
export class PublishSocialPostUseCase {
  private readonly ledger = new SendLedger(SOCIAL_SCHEMA);
  private readonly deferred = new DeferredSends(SOCIAL_SCHEMA);
  private readonly posts = new SocialPostsRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly publishers: SocialPublishersRegistry,
    @Inject(SOCIAL_CONFIG) private readonly config: SocialConfig,
    @Inject(SOCIAL_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: PublishSocialPostCommand): Promise<HandlerResult> {
    const workspaceId = command.request.envelope?.workspace;
    if (!workspaceId) throw new NonRetryableError("SocialRequest: envelope.workspace is missing");
    const request = clone(SocialRequestSchema, command.request);
    // Without a key the envelope id is the best we have: a redelivery of the same message is still caught.
    if (!request.idempotencyKey) request.idempotencyKey = `message:${request.envelope?.id ?? ""}`;

    const { plans, settled, duplicates } = await this.dataSource.transaction((manager) =>
      this.planAll(manager, request, workspaceId, command.source),
    );
    if (settled > 0) this.relays.notify(SOCIAL_SCHEMA);
    if (plans.length === 0) return duplicates > 0 && settled === 0 ? "duplicate" : "processed";
    await Promise.all(plans.map((plan) => this.publish(plan)));
    this.relays.notify(SOCIAL_SCHEMA);
    return "processed";
  }

  private async publish(plan: PostPlan): Promise<void> {
    const publisher = this.publishers.get(plan.reference.platform);
    try {
      if (!publisher)
        throw new SocialProviderError(
          "rejected",
          "platform_not_configured",
          `${plan.reference.platform}: no credentials configured`,
        );
      const published = await publisher.publish(plan.post);
      await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        await this.ledger.transition(manager, plan.reference, ["sending"], "sent", now, {
          providerMessageId: published.postId,
        });
        await this.posts.recordPublished(
          manager,
          plan.reference,
          published.postId,
          extractHashtags(plan.post.text),
          now,
        );
        await publishOutcomes(manager, [
          socialOutcome(plan.reference, now, {
            status: OutcomeStatus.SENT,
            providerMessageId: published.postId,
            details: plan.details,
          }),
        ]);
      });
    } catch (error) {
      await this.dataSource.transaction((manager) => this.recordFailure(manager, plan, error));
    }
  }

  private async planAll(
    manager: EntityManager,
    request: SocialRequest,
    workspaceId: string,
    source: PublishSocialPostCommand["source"],
  ): Promise<{ plans: PostPlan[]; settled: number; duplicates: number }> {
    const now = this.clock.now();
    const plans: PostPlan[] = [];
    let settled = 0;
    let duplicates = 0;
    const unsupported = request.platforms.filter((platform) => platformName(platform) === undefined);
    const names = [
      ...new Set(request.platforms.map(platformName).filter((name): name is PlatformName => name !== undefined)),
    ].sort();
    if (names.length === 0 && unsupported.length === 0) {
      // Nothing to post to: one FAILED outcome under the request's own key, once.
      const reference = {
        workspaceId,
        idempotencyKey: request.idempotencyKey,
        contactId: request.contactId,
        runId: request.runId,
        nodeId: request.nodeId,
        workflowId: request.workflowId,
      };
      if (
        !(await this.ledger.claim(manager, {
          ...reference,
          category: "social",
          state: "failed",
          at: now,
          reason: "no_platforms",
        }))
      )
        return { plans, settled, duplicates: 1 };
      await publishOutcomes(manager, [
        socialOutcome({ ...reference, platform: "" }, now, {
          status: OutcomeStatus.FAILED,
          reason: "no_platforms",
          details: { message: "platforms: empty" },
        }),
      ]);
      return { plans, settled: 1, duplicates };
    }
    for (const platform of new Set(unsupported)) {
      const label = SocialPlatform[platform]?.toLowerCase() ?? String(platform);
      const reference = {
        workspaceId,
        idempotencyKey: platformKey(request.idempotencyKey, label),
        contactId: request.contactId,
        runId: request.runId,
        nodeId: request.nodeId,
        workflowId: request.workflowId,
      };
      if (
        !(await this.ledger.claim(manager, {
          ...reference,
          category: "social",
          state: "failed",
          at: now,
          reason: "platform_not_supported",
        }))
      ) {
        duplicates++;
        continue;
      }
      await publishOutcomes(manager, [
        socialOutcome({ ...reference, platform: label }, now, {
          status: OutcomeStatus.FAILED,
          reason: "platform_not_supported",
          details: { message: `platforms: ${label} is not supported by channel-social` },
        }),
      ]);
      settled++;
    }
    for (const name of names) {
      const result = await this.plan(manager, request, workspaceId, name, source, now);
      if (result === "duplicate") duplicates++;
      else if (result === "settled") settled++;
      else plans.push(result);
    }
    return { plans, settled, duplicates };
  }

  private async plan(
    manager: EntityManager,
    request: SocialRequest,
    workspaceId: string,
    platform: PlatformName,
    source: PublishSocialPostCommand["source"],
    now: Date,
  ): Promise<PostPlan | "duplicate" | "settled"> {
    const reference = referenceOf(request, workspaceId, platform);
    const existing = await this.ledger.find(manager, workspaceId, reference.idempotencyKey, { lock: true });
    if (existing && !(source === "deferred" && existing.state === "deferred")) return "duplicate";
    if (source === "deferred" && !(await this.deferred.remove(manager, workspaceId, reference.idempotencyKey)))
      return "duplicate";
    const single = clone(SocialRequestSchema, request);
    single.platforms = [platformEnum(platform)];

    const settle = async (reason: string, details: JsonObject): Promise<"settled"> => {
      if (existing) await this.ledger.transition(manager, reference, ["deferred"], "failed", now, { reason, details });
      else
        await this.ledger.claim(manager, {
          ...reference,
          category: "social",
          state: "failed",
          at: now,
          reason,
          details,
          provider: platform,
        });
      await publishOutcomes(manager, [
        socialOutcome(reference, now, { status: OutcomeStatus.FAILED, reason, details }),
      ]);
      return "settled";
    };

    const text =
      request.platformTexts.find((override) => platformName(override.platform) === platform)?.text ?? request.text;
    const check = checkPost({ platform, text, mediaUrls: request.mediaUrls });
    if (!check.ok) return settle(check.reason, { ...check.details, message: check.message });
    if (!this.publishers.get(platform))
      return settle("platform_not_configured", { message: `${platform}: no credentials configured for this platform` });

    const scheduledAt = request.scheduledAt ? timestampDate(request.scheduledAt) : undefined;
    if (scheduledAt && scheduledAt.getTime() > now.getTime())
      return this.defer(manager, single, reference, existing, now, scheduledAt, "scheduled");

    // One workspace's posts to one platform are counted one decision at a time, so the limit cannot be raced past.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `${SOCIAL_SCHEMA}:${workspaceId}:${platform}`,
    ]);
    const limit = new FrequencyCap({ max: dailyLimit(this.config, platform), windowMs: DAY_MS });
    const posted = await this.posts.postedSince(manager, workspaceId, platform, limit.windowStart(now));
    const decision = limit.check(posted.count);
    if (!decision.allowed) {
      const dueAt = new Date((posted.oldest ?? now).getTime() + DAY_MS);
      return this.defer(manager, single, reference, existing, now, dueAt, "platform_rate_limit", {
        posted_in_window: posted.count,
        max_per_day: decision.max,
      });
    }

    const attempt = attemptOf(existing) + 1;
    const details: JsonObject = {
      length: check.length,
      media: check.media.length,
      attempt,
      ...(scheduledAt ? { scheduled_at: scheduledAt.toISOString() } : {}),
    };
    const update = { provider: platform, sentAt: now, details };
    if (existing) await this.ledger.transition(manager, reference, ["deferred"], "sending", now, update);
    else await this.ledger.claim(manager, { ...reference, category: "social", state: "sending", at: now, ...update });
    return {
      reference,
      post: { text, media: check.media, reference: reference.idempotencyKey },
      attempt,
      details,
      request: single,
    };
  }

  private async defer(
    manager: EntityManager,
    single: SocialRequest,
    reference: PostReference,
    existing: SendLedgerEntry | undefined,
    now: Date,
    dueAt: Date,
    reason: string,
    extra: JsonObject = {},
  ): Promise<"settled"> {
    const details: JsonObject = { ...extra, deferred_until: dueAt.toISOString() };
    if (existing)
      await this.ledger.transition(manager, reference, ["deferred", "sending"], "deferred", now, {
        reason,
        details,
        provider: reference.platform,
      });
    else
      await this.ledger.claim(manager, {
        ...reference,
        category: "social",
        state: "deferred",
        at: now,
        reason,
        details,
        provider: reference.platform,
      });
    await this.deferred.add(manager, {
      workspaceId: reference.workspaceId,
      idempotencyKey: reference.idempotencyKey,
      contactId: reference.contactId,
      dueAt,
      reason,
      payload: toBinary(SocialRequestSchema, single),
    });
    await publishOutcomes(manager, [
      socialOutcome(reference, now, { status: OutcomeStatus.DEFERRED, reason, details }),
    ]);
    return "settled";
  }

  private async recordFailure(manager: EntityManager, plan: PostPlan, error: unknown): Promise<void> {
    const now = this.clock.now();
    const failure =
      error instanceof SocialProviderError
        ? error
        : new SocialProviderError(
            "unknown",
            "send_state_unknown",
            error instanceof Error ? error.message : String(error),
          );
    const { reference } = plan;
    if (failure.kind === "not_sent" && plan.attempt < this.config.SOCIAL_MAX_ATTEMPTS) {
      // Provably not posted: try again later through the deferred table (durable, unlike an in-memory retry).
      const dueAt = new Date(now.getTime() + this.config.SOCIAL_RETRY_DELAY_MS * 2 ** (plan.attempt - 1));
      const existing = await this.ledger.find(manager, reference.workspaceId, reference.idempotencyKey, { lock: true });
      await this.defer(manager, plan.request, reference, existing, now, dueAt, "provider_unavailable", {
        error: failure.message,
        attempt: plan.attempt,
      });
      return;
    }
    const state = failure.kind === "unknown" ? "unknown" : "failed";
    const reason =
      failure.kind === "unknown"
        ? "send_state_unknown"
        : failure.kind === "not_sent"
          ? "provider_unavailable"
          : failure.reason;
    await this.ledger.transition(manager, reference, ["sending"], state, now, {
      reason,
      details: { error: failure.message },
    });
    await publishOutcomes(manager, [
      socialOutcome(reference, now, {
        status: OutcomeStatus.FAILED,
        reason,
        details: { ...plan.details, message: failure.message, provider_reason: failure.reason, ledger_state: state },
      }),
    ]);
  }
}

function attemptOf(entry: SendLedgerEntry | undefined): number {
  const attempt = entry?.details.attempt;
  return typeof attempt === "number" ? attempt : 0;
}
