import { Inject, Injectable } from "@nestjs/common";
import { clone, OutcomeStatus, SmsRequestSchema, toBinary, type JsonObject, type SmsRequest } from "@cascade/contracts";
import {
  DeferredSends,
  FrequencyCap,
  QuietHours,
  SendLedger,
  type Clock,
  type SendLedgerEntry,
} from "@cascade/compliance";
import type { HandlerResult } from "@cascade/bus";
import { NonRetryableError } from "@cascade/bus";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { SmsConsentRepository } from "../../inbound/sms-consent.repository.js";
import { SMS_CLOCK, SMS_CONFIG, SMS_SCHEMA, type SmsConfig } from "../../sms.config.js";
import { readContactContext } from "../contact-context.js";
import { renderTemplate } from "../message-template.js";
import { normalisePhoneNumber } from "../phone-number.js";
import { SmsProviderError, type SmsSend } from "../providers/sms-provider.js";
import { SmsProviderRegistry } from "../sms-provider.registry.js";
import { publishOutcomes, referenceOf, smsOutcome, type SendReference } from "../sms-outcomes.js";
import { rulesFor } from "../sms-policy.js";
import { countSegments, estimateCost } from "../sms-segments.js";

export interface SendSmsCommand {
  request: SmsRequest;
  /** `request`: from channel.sms.requests.v1 (or a HELP reply); `deferred`: released by the deferred poller. */
  source: "request" | "deferred";
}

type SendPlan =
  | { kind: "duplicate" }
  | { kind: "settled" }
  | {
      kind: "send";
      send: SmsSend;
      reference: SendReference;
      providerName: string;
      attempt: number;
      details: JsonObject;
      request: SmsRequest;
    };

/**
 * Sends one SMS under the delivery contract: decide (consent, STOP, schedule, quiet hours, frequency cap)
 * and record the key as `sending` in one committed transaction; call the provider; record the result and its
 * outcome together through the outbox. A known key is never sent again; a deferred send is released by the
 * deferred poller and comes back here.
 */
@Injectable()
export class SendSmsUseCase {
  private readonly ledger = new SendLedger(SMS_SCHEMA);
  private readonly deferred = new DeferredSends(SMS_SCHEMA);
  private readonly consents = new SmsConsentRepository();
  private readonly quietHours: QuietHours;
  private readonly cap: FrequencyCap;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly providers: SmsProviderRegistry,
    @Inject(SMS_CONFIG) private readonly config: SmsConfig,
    @Inject(SMS_CLOCK) private readonly clock: Clock,
  ) {
    this.quietHours = new QuietHours({ start: config.SMS_QUIET_HOURS_START, end: config.SMS_QUIET_HOURS_END });
    this.cap = new FrequencyCap({
      max: config.SMS_MARKETING_CAP_MAX,
      windowMs: config.SMS_MARKETING_CAP_WINDOW_HOURS * 3_600_000,
    });
  }

  async execute(command: SendSmsCommand): Promise<HandlerResult> {
    const workspaceId = command.request.envelope?.workspace;
    if (!workspaceId) throw new NonRetryableError("SmsRequest: envelope.workspace is missing");
    const request = clone(SmsRequestSchema, command.request);
    // Without a key the envelope id is the best we have: a redelivery of the same message is still caught.
    if (!request.idempotencyKey) request.idempotencyKey = `message:${request.envelope?.id ?? ""}`;

    const plan = await this.dataSource.transaction((manager) =>
      this.plan(manager, request, workspaceId, command.source),
    );
    if (plan.kind === "duplicate") return "duplicate";
    if (plan.kind === "settled") {
      this.relays.notify(SMS_SCHEMA);
      return "processed";
    }
    const provider = this.providers.active;
    if (!provider) throw new Error("provider vanished between plan and send");
    try {
      const accepted = await provider.send(plan.send);
      await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        await this.ledger.transition(manager, plan.reference, ["sending"], "sent", now, {
          providerMessageId: accepted.providerMessageId,
        });
        await publishOutcomes(manager, [
          smsOutcome(plan.reference, now, {
            status: OutcomeStatus.SENT,
            provider: plan.providerName,
            providerMessageId: accepted.providerMessageId,
            details: { ...plan.details, provider_status: accepted.providerStatus },
          }),
        ]);
      });
    } catch (error) {
      await this.dataSource.transaction((manager) => this.recordFailure(manager, plan, error));
    }
    this.relays.notify(SMS_SCHEMA);
    return "processed";
  }

  private async plan(
    manager: EntityManager,
    request: SmsRequest,
    workspaceId: string,
    source: SendSmsCommand["source"],
  ): Promise<SendPlan> {
    const now = this.clock.now();
    const key = request.idempotencyKey;
    const reference = referenceOf(request, workspaceId, key);
    // One contact's sends are decided one at a time, so the frequency cap cannot be raced past.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `${SMS_SCHEMA}:${workspaceId}:${request.contactId}`,
    ]);
    const existing = await this.ledger.find(manager, workspaceId, key, { lock: true });
    if (existing && !(source === "deferred" && existing.state === "deferred")) return { kind: "duplicate" };
    if (source === "deferred" && !(await this.deferred.remove(manager, workspaceId, key))) return { kind: "duplicate" };
    const rules = rulesFor(request.category);

    const settle = async (
      state: "failed" | "skipped",
      status: OutcomeStatus,
      reason: string,
      details: JsonObject = {},
    ): Promise<SendPlan> => {
      if (existing) await this.ledger.transition(manager, reference, ["deferred"], state, now, { reason, details });
      else await this.ledger.claim(manager, { ...reference, category: rules.name, state, at: now, reason, details });
      await publishOutcomes(manager, [smsOutcome(reference, now, { status, reason, details })]);
      return { kind: "settled" };
    };
    const fail = (reason: string, message: string): Promise<SendPlan> =>
      settle("failed", OutcomeStatus.FAILED, reason, { message });
    const skip = (reason: string, details: JsonObject = {}): Promise<SendPlan> =>
      settle("skipped", OutcomeStatus.SKIPPED, reason, details);

    const context = readContactContext(request.variables);
    if (!context.ok) return fail("invalid_contact_data", context.reason);
    const phone = normalisePhoneNumber(request.to, context.context.country);
    if (!phone.ok) return fail("invalid_phone_number", phone.reason);
    const rendered = renderTemplate(request.body, request.variables);
    if (!rendered.ok) return fail("template_error", rendered.reason);
    if (rendered.text.trim() === "") return fail("empty_body", "body: the message is empty");
    const from = request.from || this.config.SMS_DEFAULT_FROM;
    if (!from) return fail("no_sender", "from: empty and SMS_DEFAULT_FROM is not set");

    // Consent: the latest of the stored state (STOP / START / earlier evidence) and the request's evidence wins.
    let consent = await this.consents.find(manager, workspaceId, phone.e164);
    const evidence = context.context.consent;
    if (evidence && (!consent || consent.updatedAt.getTime() < evidence.grantedAt.getTime())) {
      const { grantedAt, ...rest } = evidence;
      consent = {
        workspaceId,
        phone: phone.e164,
        contactId: request.contactId,
        status: "opted_in",
        source: `request:${evidence.source}`,
        evidence: { ...rest, granted_at: grantedAt.toISOString() },
        updatedAt: grantedAt,
      };
      await this.consents.record(manager, consent);
    }
    if (consent?.status === "opted_out")
      return skip("opted_out", { opted_out_at: consent.updatedAt.toISOString(), source: consent.source });
    if (rules.needsOptIn && consent?.status !== "opted_in")
      return skip("no_consent", {
        message: "marketing SMS needs a recorded opt-in (variables.sms_consent or a START keyword)",
      });

    const sendAt = context.context.sendAt;
    if (sendAt && sendAt.getTime() > now.getTime())
      return this.defer(manager, request, reference, existing, rules.name, now, sendAt, "scheduled");
    if (rules.quietHours) {
      const timezone = context.context.timezone ?? this.config.SMS_DEFAULT_TIMEZONE;
      const decision = this.quietHours.check(now, timezone);
      if (!decision.allowed)
        return this.defer(
          manager,
          request,
          reference,
          existing,
          rules.name,
          now,
          decision.nextAllowedAt,
          "quiet_hours",
          { local_time: decision.localTime, timezone },
        );
    }
    if (rules.frequencyCap) {
      const sent = await this.ledger.countSentSince(
        manager,
        workspaceId,
        request.contactId,
        this.cap.windowStart(now),
        rules.name,
      );
      const decision = this.cap.check(sent);
      if (!decision.allowed)
        return skip("frequency_cap", {
          sent_in_window: decision.sentInWindow,
          max: decision.max,
          window_hours: decision.windowMs / 3_600_000,
        });
    }
    const provider = this.providers.active;
    if (!provider)
      return fail("provider_not_configured", `SMS_PROVIDER=${this.config.SMS_PROVIDER} has no credentials`);

    const segments = countSegments(rendered.text);
    const attempt = attemptOf(existing) + 1;
    const details: JsonObject = {
      category: rules.name,
      segments: segments.segments,
      encoding: segments.encoding,
      cost_estimate: estimateCost(segments, this.config.SMS_PRICE_PER_SEGMENT),
      currency: this.config.SMS_PRICE_CURRENCY,
      attempt,
    };
    const update = { provider: provider.name, sentAt: now, details };
    if (existing) await this.ledger.transition(manager, reference, ["deferred"], "sending", now, update);
    else await this.ledger.claim(manager, { ...reference, category: rules.name, state: "sending", at: now, ...update });
    return {
      kind: "send",
      reference,
      providerName: provider.name,
      attempt,
      details,
      request,
      send: {
        to: phone.e164,
        from,
        body: rendered.text,
        reference: key,
        statusCallbackUrl: this.statusCallbackUrl(reference),
      },
    };
  }

  private async defer(
    manager: EntityManager,
    request: SmsRequest,
    reference: SendReference,
    existing: SendLedgerEntry | undefined,
    category: string,
    now: Date,
    dueAt: Date,
    reason: string,
    extra: JsonObject = {},
  ): Promise<SendPlan> {
    const details: JsonObject = { ...extra, deferred_until: dueAt.toISOString() };
    if (existing)
      await this.ledger.transition(manager, reference, ["deferred", "sending"], "deferred", now, { reason, details });
    else await this.ledger.claim(manager, { ...reference, category, state: "deferred", at: now, reason, details });
    await this.deferred.add(manager, {
      workspaceId: reference.workspaceId,
      idempotencyKey: reference.idempotencyKey,
      contactId: reference.contactId,
      dueAt,
      reason,
      payload: toBinary(SmsRequestSchema, request),
    });
    await publishOutcomes(manager, [smsOutcome(reference, now, { status: OutcomeStatus.DEFERRED, reason, details })]);
    return { kind: "settled" };
  }

  private async recordFailure(
    manager: EntityManager,
    plan: Extract<SendPlan, { kind: "send" }>,
    error: unknown,
  ): Promise<void> {
    const now = this.clock.now();
    const failure =
      error instanceof SmsProviderError
        ? error
        : new SmsProviderError("unknown", "send_state_unknown", error instanceof Error ? error.message : String(error));
    const { reference } = plan;
    if (failure.kind === "not_sent" && plan.attempt < this.config.SMS_MAX_ATTEMPTS) {
      // Provably not taken: try again later through the deferred table (durable, unlike an in-memory retry).
      const dueAt = new Date(now.getTime() + this.config.SMS_RETRY_DELAY_MS * 2 ** (plan.attempt - 1));
      const existing = await this.ledger.find(manager, reference.workspaceId, reference.idempotencyKey, { lock: true });
      await this.defer(
        manager,
        plan.request,
        reference,
        existing,
        String(plan.details.category),
        now,
        dueAt,
        "provider_unavailable",
        { error: failure.message, attempt: plan.attempt },
      );
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
    if (failure.reason === "opted_out") {
      await this.consents.record(manager, {
        workspaceId: reference.workspaceId,
        phone: plan.send.to,
        contactId: reference.contactId,
        status: "opted_out",
        source: `provider:${plan.providerName}`,
        evidence: { error: failure.message },
        updatedAt: now,
      });
    }
    await publishOutcomes(manager, [
      smsOutcome(reference, now, {
        status: OutcomeStatus.FAILED,
        reason,
        provider: plan.providerName,
        details: { ...plan.details, message: failure.message, ledger_state: state },
      }),
    ]);
  }

  private statusCallbackUrl(reference: SendReference): string | undefined {
    if (!this.config.SMS_STATUS_CALLBACK_URL) return undefined;
    const url = new URL(this.config.SMS_STATUS_CALLBACK_URL);
    url.searchParams.set("workspace", reference.workspaceId);
    url.searchParams.set("contact", reference.contactId);
    url.searchParams.set("key", reference.idempotencyKey);
    return url.toString();
  }
}

function attemptOf(entry: SendLedgerEntry | undefined): number {
  const attempt = entry?.details.attempt;
  return typeof attempt === "number" ? attempt : 0;
}
