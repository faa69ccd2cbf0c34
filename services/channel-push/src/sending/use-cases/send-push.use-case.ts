import { Inject, Injectable } from "@nestjs/common";
import {
  MessageCategory,
  OutcomeStatus,
  PushUrgency,
  type JsonObject,
  type Outcome,
  type PushRequest,
} from "@cascade/contracts";
import { FrequencyCap, SendLedger, type Clock } from "@cascade/compliance";
import { NonRetryableError, type HandlerResult } from "@cascade/bus";
import { OutboxRelays } from "@cascade/runtime";
import { signTrackingToken } from "@cascade/tracking";
import { DataSource, type EntityManager } from "typeorm";
import {
  PUSH_CLOCK,
  PUSH_CONFIG,
  PUSH_SCHEMA,
  WEB_PUSH_MAX_PLAINTEXT_BYTES,
  type PushConfig,
} from "../../push.config.js";
import {
  PushSubscriptionRepository,
  type PushSubscriptionRecord,
} from "../../subscriptions/push-subscription.repository.js";
import { PushEngagementRepository } from "../../engagement/push-engagement.repository.js";
import { withLandingParameter } from "../landing-url.js";
import { publishPushOutcomes, pushOutcome, type PushReference } from "../push-outcomes.js";
import { PushProviderRegistry } from "../push-provider.registry.js";
import type { PushResult, PushUrgencyName } from "../providers/push-provider.js";

const DAY_MS = 86_400_000;
const DEFAULT_TTL_SECONDS = 86_400;
const URGENCY: Record<PushUrgency, PushUrgencyName> = {
  [PushUrgency.UNSPECIFIED]: "normal",
  [PushUrgency.VERY_LOW]: "very-low",
  [PushUrgency.LOW]: "low",
  [PushUrgency.NORMAL]: "normal",
  [PushUrgency.HIGH]: "high",
};

/** A retryable push-service failure with nothing delivered: the claim is released and the bus retries. */
export class PushServiceUnavailableError extends Error {
  readonly code = "push_service_unavailable";
}

type Plan =
  | { kind: "done"; result: HandlerResult }
  | { kind: "send"; reference: PushReference; subscriptions: PushSubscriptionRecord[]; payload: string };

/**
 * Notifies every push subscription of the contact, under the delivery contract: the key is claimed
 * (`sending`, committed) before any push service is called; results and outcomes commit together through
 * the outbox. A 404 / 410 from the push service deletes the subscription and is reported as UNSUBSCRIBED.
 */
@Injectable()
export class SendPushUseCase {
  private readonly ledger = new SendLedger(PUSH_SCHEMA);
  private readonly subscriptions = new PushSubscriptionRepository();
  private readonly engagements = new PushEngagementRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly providers: PushProviderRegistry,
    @Inject(PUSH_CONFIG) private readonly config: PushConfig,
    @Inject(PUSH_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: PushRequest): Promise<HandlerResult> {
    const workspaceId = request.envelope?.workspace;
    if (!workspaceId) throw new NonRetryableError("PushRequest: envelope.workspace is missing");
    const reference: PushReference = {
      workspaceId,
      idempotencyKey: request.idempotencyKey || `message:${request.envelope?.id ?? ""}`,
      contactId: request.contactId,
      runId: request.runId,
      nodeId: request.nodeId,
      workflowId: request.workflowId,
    };
    const plan = await this.dataSource.transaction((manager) => this.plan(manager, request, reference));
    if (plan.kind === "done") {
      this.relays.notify(PUSH_SCHEMA);
      return plan.result;
    }
    const options = {
      ttlSeconds: request.ttlSeconds || DEFAULT_TTL_SECONDS,
      urgency: URGENCY[request.urgency] ?? "normal",
      topic: request.topic || undefined,
    };
    const results = await Promise.all(
      plan.subscriptions.map(async (subscription): Promise<[PushSubscriptionRecord, PushResult]> => {
        const provider = this.providers.for(subscription.kind);
        if (!provider)
          return [subscription, { kind: "rejected", status: 0, reason: "provider_not_configured", retryable: false }];
        return [subscription, await provider.send({ subscription, payload: plan.payload, ...options })];
      }),
    );
    const retry = await this.dataSource.transaction((manager) => this.record(manager, reference, results));
    this.relays.notify(PUSH_SCHEMA);
    if (retry) throw new PushServiceUnavailableError(`push services unavailable: ${retry}`);
    return "processed";
  }

  private async plan(manager: EntityManager, request: PushRequest, reference: PushReference): Promise<Plan> {
    const now = this.clock.now();
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `${PUSH_SCHEMA}:${reference.workspaceId}:${reference.contactId}`,
    ]);
    if (await this.ledger.find(manager, reference.workspaceId, reference.idempotencyKey))
      return { kind: "done", result: "duplicate" };
    const category = request.category === MessageCategory.TRANSACTIONAL ? "transactional" : "marketing";
    const settle = async (
      state: "failed" | "skipped",
      status: OutcomeStatus,
      reason: string,
      details: JsonObject,
    ): Promise<Plan> => {
      await this.ledger.claim(manager, { ...reference, category, state, at: now, reason, details });
      await publishPushOutcomes(manager, [pushOutcome(reference, now, { status, reason, details })]);
      return { kind: "done", result: "processed" };
    };

    if (!request.title && !request.body)
      return settle("failed", OutcomeStatus.FAILED, "empty_notification", { message: "title and body: both empty" });
    const payload = this.payloadOf(request, reference);
    const bytes = Buffer.byteLength(payload, "utf8");
    if (bytes > WEB_PUSH_MAX_PLAINTEXT_BYTES) {
      return settle("failed", OutcomeStatus.FAILED, "payload_too_large", {
        message: `the notification is ${bytes} bytes; web push allows ${WEB_PUSH_MAX_PLAINTEXT_BYTES} before encryption (4 KB after)`,
        bytes,
        limit: WEB_PUSH_MAX_PLAINTEXT_BYTES,
      });
    }
    const subscriptions = await this.subscriptions.listForContact(manager, reference.workspaceId, reference.contactId);
    if (subscriptions.length === 0) return settle("skipped", OutcomeStatus.SKIPPED, "no_subscription", {});
    if (category !== "transactional") {
      const max =
        (await this.subscriptions.maxPerDay(manager, reference.workspaceId, reference.contactId)) ??
        this.config.PUSH_DEFAULT_MAX_PER_DAY;
      const cap = new FrequencyCap({ max, windowMs: DAY_MS });
      const decision = cap.check(
        await this.ledger.countSentSince(
          manager,
          reference.workspaceId,
          reference.contactId,
          cap.windowStart(now),
          category,
        ),
      );
      if (!decision.allowed)
        return settle("skipped", OutcomeStatus.SKIPPED, "frequency_cap", {
          sent_in_window: decision.sentInWindow,
          max: decision.max,
          window_hours: 24,
        });
    }
    await this.ledger.claim(manager, {
      ...reference,
      category,
      state: "sending",
      at: now,
      sentAt: now,
      details: { subscriptions: subscriptions.length },
    });
    return { kind: "send", reference, subscriptions, payload };
  }

  /**
   * The JSON the service worker receives: what to show and where a click goes (the request's URL with the
   * landing parameter, through click tracking when configured), and the push's key for the SDK's reports.
   */
  private payloadOf(request: PushRequest, reference: PushReference): string {
    let url = request.url
      ? withLandingParameter(request.url, this.config.PUSH_LANDING_PARAMETER, reference.idempotencyKey)
      : "";
    if (url && this.config.PUSH_PUBLIC_URL) {
      const token = signTrackingToken(
        {
          t: "click",
          w: reference.workspaceId,
          c: reference.contactId,
          k: reference.idempotencyKey,
          u: url,
          ...(reference.runId ? { r: reference.runId } : {}),
          ...(reference.nodeId ? { n: reference.nodeId } : {}),
          ...(reference.workflowId ? { f: reference.workflowId } : {}),
        },
        this.config.PUSH_TRACKING_SECRET,
      );
      url = `${this.config.PUSH_PUBLIC_URL.replace(/\/$/, "")}/api/push/click?t=${token}`;
    }
    return JSON.stringify({
      title: request.title,
      body: request.body,
      ...(url ? { url } : {}),
      ...(request.icon ? { icon: request.icon } : {}),
      ...(request.topic ? { tag: request.topic } : {}),
      key: reference.idempotencyKey,
    });
  }

  /** Records the results; returns the failure text when nothing went out and a retry may succeed. */
  private async record(
    manager: EntityManager,
    reference: PushReference,
    results: Array<[PushSubscriptionRecord, PushResult]>,
  ): Promise<string | undefined> {
    const now = this.clock.now();
    const outcomes: Outcome[] = [];
    const accepted = results.filter(([, result]) => result.kind === "accepted");
    const expired = results.filter(([, result]) => result.kind === "expired");
    const rejected = results.flatMap(([subscription, result]) =>
      result.kind === "rejected" ? [{ subscription, result }] : [],
    );
    for (const [subscription, result] of expired) {
      await this.subscriptions.remove(manager, reference.workspaceId, { address: subscription.address });
      outcomes.push(
        pushOutcome(reference, now, {
          status: OutcomeStatus.UNSUBSCRIBED,
          reason: "subscription_expired",
          provider: subscription.kind,
          details: {
            device_id: subscription.deviceId,
            subscription_id: subscription.id,
            http_status: result.kind === "expired" ? result.status : 0,
          },
        }),
      );
    }
    const details: JsonObject = { delivered_to: accepted.length, expired: expired.length, failed: rejected.length };
    if (accepted.length > 0) {
      const [subscription, first] = accepted[0] as [PushSubscriptionRecord, Extract<PushResult, { kind: "accepted" }>];
      await this.engagements.recordSent(manager, reference, now);
      await this.ledger.transition(manager, reference, ["sending"], "sent", now, {
        provider: subscription.kind,
        providerMessageId: first.providerMessageId,
        details,
      });
      outcomes.push(
        pushOutcome(reference, now, {
          status: OutcomeStatus.SENT,
          provider: subscription.kind,
          providerMessageId: first.providerMessageId,
          details,
        }),
      );
    } else if (
      rejected.length > 0 &&
      rejected.every(({ result }) => result.kind === "rejected" && result.retryable) &&
      expired.length === 0
    ) {
      // Nothing was delivered and every failure is temporary: forget the claim so the bus's retry sends again.
      await this.ledger.release(manager, reference, "sending");
      return rejected.map(({ result }) => (result.kind === "rejected" ? result.reason : "")).join("; ");
    } else {
      const reason = rejected[0]?.result.kind === "rejected" ? rejected[0].result.reason : "all_subscriptions_expired";
      await this.ledger.transition(manager, reference, ["sending"], "failed", now, { reason, details });
      outcomes.push(pushOutcome(reference, now, { status: OutcomeStatus.FAILED, reason, details }));
    }
    await publishPushOutcomes(manager, outcomes);
    return undefined;
  }
}
