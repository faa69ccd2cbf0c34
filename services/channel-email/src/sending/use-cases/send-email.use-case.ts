import { Inject, Injectable, Logger } from "@nestjs/common";
import {
  fromBinary,
  EmailRequestSchema,
  OutcomeStatus,
  toBinary,
  Topics,
  type EmailRequest,
  type JsonObject,
} from "@cascade/contracts";
import { NonRetryableError } from "@cascade/bus";
import { isValidTimeZone, type QuietHours } from "@cascade/compliance";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { CLOCK, type Clock } from "../../clock.js";
import { EMAIL_CONFIG, type EmailConfig } from "../../config/email-config.js";
import { ProviderError, type EmailProvider, type OutgoingEmail } from "../../providers/email-provider.js";
import { ProviderRegistry } from "../../providers/provider-registry.js";
import { TemplateRenderError, TemplateRenderer, type RenderedContent } from "../../templates/template-renderer.js";
import { TemplatesRepository } from "../../templates/templates.repository.js";
import { DeferredSendsRepository } from "../deferred-sends.repository.js";
import { requestFacts, templateContext, type RequestFacts } from "../email-request-fields.js";
import { emailOutcome, type OutcomeFacts } from "../outcome-factory.js";
import { emailQuietHours } from "../quiet-hours.js";
import { ProviderRateLimiter } from "../rate-limiter.js";
import { SendLedgerRepository, type NewSend, type SendRecord } from "../send-ledger.repository.js";
import { SuppressionsRepository } from "../suppressions.repository.js";
import { addTracking } from "../tracking-rewriter.js";
import { signUnsubscribeToken } from "../unsubscribe-token.js";
import { AbTests } from "../../ab-tests/ab-tests.js";
import type { AbConfig } from "../../ab-tests/ab-config.js";
import { SendTimeOptimizer } from "../../send-time/send-time-optimizer.js";
import { WorkspaceSettings } from "../../settings/workspace-settings.js";
import { PartialsCache } from "../../templates/partials-cache.js";

export const SCHEMA = "channel_email";

/** Where a send attempt comes from: a request on the bus, or the deferred-send poller. */
export type SendTrigger = "request" | "deferred";

export type SendResult = "sent" | "duplicate" | "skipped" | "deferred" | "failed" | "unknown";

/** How long one send waits for a rate-limit token before it is deferred instead. */
const MAX_RATE_WAIT_MS = 5_000;

interface Prepared {
  request: EmailRequest;
  workspaceId: string;
  facts: RequestFacts;
  send: NewSend;
  trigger: SendTrigger;
  /** The A/B experiment of the step, when the request has variants and a (workflow, node). */
  ab?: AbConfig;
}

/**
 * Sends one email exactly once per idempotency key:
 * 1. duplicates (a known key) are dropped; a key left `sending` by a crash is reconciled;
 * 2. rendering (a render error is a `failed` outcome with the reason);
 * 3. compliance under a per-contact lock: suppression, unsubscribe, consent, frequency cap (marketing), quiet hours
 *    (marketing: deferred, not dropped); each refusal is a `skipped` / `deferred` outcome;
 * 4. the ledger row `sending` and the `queued` outcome commit BEFORE the provider call;
 * 5. provider call with failover on outages only; `sent` + outcome (or failed / deferred) commit together.
 */
@Injectable()
export class SendEmailUseCase {
  private readonly logger = new Logger("channel-email");
  private readonly ledger = new SendLedgerRepository();
  private readonly deferred = new DeferredSendsRepository();
  private readonly suppressions = new SuppressionsRepository();
  private readonly templates = new TemplatesRepository();
  private readonly outbox = new Outbox(SCHEMA);
  private readonly renderer: TemplateRenderer;
  private readonly quietHours: QuietHours;
  private readonly rateLimiter: ProviderRateLimiter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly providers: ProviderRegistry,
    private readonly abTests: AbTests,
    private readonly sendTime: SendTimeOptimizer,
    private readonly workspaceSettings: WorkspaceSettings,
    private readonly partials: PartialsCache,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.renderer = new TemplateRenderer({ assetBaseUrl: config.EMAIL_ASSET_BASE_URL });
    this.quietHours = emailQuietHours(config.EMAIL_QUIET_HOURS_START, config.EMAIL_QUIET_HOURS_END);
    this.rateLimiter = new ProviderRateLimiter(dataSource);
  }

  async execute(request: EmailRequest, trigger: SendTrigger): Promise<SendResult> {
    const prepared = this.prepare(request, trigger);
    const { workspaceId, send, facts } = prepared;
    const existing = await this.ledger.find(this.dataSource.manager, workspaceId, send.idempotencyKey);
    if (existing) {
      if (existing.state === "sending") return this.reconcile(existing, request);
      if (!(existing.state === "deferred" && trigger === "deferred")) return "duplicate";
    }
    if (!send.email)
      return this.finish(prepared, "failed", {
        status: OutcomeStatus.FAILED,
        reason: "invalid_request",
        details: { field: "to.address", problem: "is empty" },
      });

    if (trigger === "request" && facts.sendAtBestTime) {
      const now = this.clock.now();
      const best = await this.sendTime.bestTime(workspaceId, send.contactId, this.timeZone(facts), now);
      if (best.at > now)
        return this.defer(prepared, best.at, "best_send_time", { hour: best.hour, learned_from: best.source });
    }

    let content: RenderedContent;
    try {
      content = await this.render(prepared);
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      return this.finish(prepared, "failed", {
        status: OutcomeStatus.FAILED,
        reason: `render_error:${error.code}`,
        details: { message: error.message },
      });
    }

    const [providers, settings] = await Promise.all([
      this.providers.providersFor(workspaceId),
      this.workspaceSettings.get(workspaceId),
    ]);
    const decision = await this.admit(prepared, providers[0]?.kind ?? "outbox", trigger);
    if (decision !== "admitted") return decision;
    return this.deliver(prepared, this.compose(prepared, content, settings.trackingEnabled), providers);
  }

  /** Re-runs a send that a crash left `sending`: asks the provider when it can, else marks it unknown. */
  async reconcile(record: SendRecord, redelivered?: EmailRequest): Promise<SendResult> {
    const request = redelivered ?? fromBinary(EmailRequestSchema, record.request);
    // "deferred": a deferred row may exist (the poller claimed it before the crash) and must go with the result.
    const prepared = this.prepare(request, "deferred");
    const provider = record.provider ? await this.providers.provider(record.workspaceId, record.provider) : undefined;
    if (!provider?.findSent) {
      await this.commit(
        prepared,
        (manager, at) =>
          this.ledger.markState(
            manager,
            record.workspaceId,
            record.idempotencyKey,
            "unknown",
            "in_flight_at_crash",
            at,
          ),
        {
          status: OutcomeStatus.ALERT,
          reason: "send_state_unknown",
          provider: record.provider,
          details: {
            message:
              "the send was in flight when the service stopped and the provider cannot be asked; it is not resent",
          },
        },
      );
      this.logger.warn(
        `send ${record.idempotencyKey} left in flight; provider ${record.provider ?? "?"} has no look-up: marked unknown`,
      );
      return "unknown";
    }
    const found = await provider.findSent(record.idempotencyKey, record.updatedAt);
    if (found) {
      await this.commit(
        prepared,
        (manager, at) =>
          this.ledger.markSent(
            manager,
            record.workspaceId,
            record.idempotencyKey,
            provider.kind,
            found.providerMessageId,
            at,
          ),
        {
          status: OutcomeStatus.SENT,
          provider: provider.kind,
          providerMessageId: found.providerMessageId,
          details: { reconciled: true },
        },
      );
      return "sent";
    }
    // The provider has no trace of it: it was never accepted, so sending now is not a repeat.
    const content = await this.render(prepared);
    const settings = await this.workspaceSettings.get(record.workspaceId);
    return this.deliver(
      prepared,
      this.compose(prepared, content, settings.trackingEnabled),
      await this.providers.providersFor(record.workspaceId),
    );
  }

  private timeZone(facts: RequestFacts): string {
    return facts.timeZone && isValidTimeZone(facts.timeZone) ? facts.timeZone : this.config.EMAIL_DEFAULT_TIMEZONE;
  }

  private prepare(request: EmailRequest, trigger: SendTrigger): Prepared {
    const workspaceId = request.envelope?.workspace ?? "";
    if (!workspaceId) throw new NonRetryableError("EmailRequest.envelope.workspace is empty");
    if (!request.idempotencyKey) throw new NonRetryableError("EmailRequest.idempotency_key is empty");
    if (!request.contactId) throw new NonRetryableError("EmailRequest.contact_id is empty");
    const facts = requestFacts(request);
    const from = request.from?.address || parseAddress(this.config.EMAIL_DEFAULT_FROM).address;
    return {
      request,
      workspaceId,
      facts,
      trigger,
      send: {
        workspaceId,
        idempotencyKey: request.idempotencyKey,
        contactId: request.contactId,
        email: (request.to?.address ?? "").trim().toLowerCase(),
        category: facts.category,
        state: "sending",
        provider: null,
        variantId: null,
        runId: request.runId || null,
        nodeId: request.nodeId || null,
        workflowId: request.workflowId || null,
        sendingDomain: from.split("@")[1]?.replace(/>.*$/, "").trim().toLowerCase() || null,
        request: toBinary(EmailRequestSchema, request),
      },
    };
  }

  private async render(prepared: Prepared): Promise<RenderedContent> {
    const { request, workspaceId } = prepared;
    const manager = this.dataSource.manager;
    let source = {
      subject: request.subject,
      html: request.html,
      text: request.text || undefined,
      layout: undefined as string | undefined,
    };
    if (request.templateId) {
      const template = await this.templates.find(
        manager,
        workspaceId,
        request.templateId,
        request.templateVersion || undefined,
      );
      if (!template)
        throw new TemplateRenderError(
          "template_syntax",
          `template ${request.templateId} v${request.templateVersion || "latest"} does not exist`,
        );
      const layout = template.layoutId ? await this.templates.find(manager, workspaceId, template.layoutId) : undefined;
      source = {
        subject: request.subject || template.subject,
        html: request.html || template.html,
        text: request.text || template.text || undefined,
        layout: layout?.html,
      };
    }
    const { variant, config } = await this.abTests.chooseVariant(workspaceId, request);
    if (config) prepared.ab = config;
    if (variant) {
      prepared.send.variantId = variant.variantId;
      source = {
        ...source,
        subject: variant.subject || source.subject,
        html: variant.html || source.html,
        text: variant.text || source.text,
      };
    }
    const partials = await this.partials.get(workspaceId);
    return this.renderer.render({ ...source, partials }, templateContext(request));
  }

  /** Compliance checks and the `sending` record, in one transaction under the contact's lock. */
  private async admit(prepared: Prepared, primary: string, trigger: SendTrigger): Promise<"admitted" | SendResult> {
    const { workspaceId, send, facts } = prepared;
    const now = this.clock.now();
    type Verdict =
      | { kind: "admitted" }
      | { kind: "duplicate" }
      | { kind: "skipped"; reason: string }
      | { kind: "deferred"; until: Date };
    const verdict = await this.dataSource.transaction(async (manager): Promise<Verdict> => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `channel_email:${workspaceId}:${send.contactId}`,
      ]);
      const current = await this.ledger.find(manager, workspaceId, send.idempotencyKey, true);
      if (current && !(current.state === "deferred" && trigger === "deferred")) return { kind: "duplicate" };
      const refusal = await this.refusal(manager, prepared, now);
      if (refusal) return { kind: "skipped", reason: refusal };
      if (facts.category === "marketing") {
        const window = this.quietHours.check(now, this.timeZone(facts));
        if (!window.allowed) return { kind: "deferred", until: window.nextAllowedAt };
      }
      await this.ledger.upsert(manager, { ...send, state: "sending", provider: primary }, now);
      if (!current)
        await this.outbox.add(manager, Topics.OutcomesV1, [
          { value: emailOutcome(send, { status: OutcomeStatus.QUEUED }, now) },
        ]);
      return { kind: "admitted" };
    });
    switch (verdict.kind) {
      case "admitted":
        return "admitted";
      case "duplicate":
        return "duplicate";
      case "skipped":
        return this.finish(prepared, "skipped", { status: OutcomeStatus.SKIPPED, reason: verdict.reason });
      case "deferred":
        return this.defer(prepared, verdict.until, "quiet_hours");
    }
  }

  /** Why the message must not be sent, or undefined. */
  private async refusal(manager: EntityManager, prepared: Prepared, now: Date): Promise<string | undefined> {
    const { workspaceId, send, facts } = prepared;
    const marketing = facts.category === "marketing";
    const since = new Date(now.getTime() - this.config.EMAIL_FREQUENCY_WINDOW);
    const compliance = await this.suppressions.complianceFacts(manager, {
      workspaceId,
      email: send.email,
      contactId: send.contactId,
      topic: facts.topic,
      marketing,
      since,
    });
    const suppression = compliance.suppression;
    if (suppression === "hard_bounce" || suppression === "manual") return `suppressed:${suppression}`;
    if (suppression === "complaint" && facts.category !== "transactional") return "suppressed:complaint";
    if (!marketing) return undefined;
    if (compliance.unsubscribed) return "unsubscribed";
    if (facts.consent === "denied" || facts.consent === "pending") return `no_consent:${facts.consent}`;
    if (facts.consent !== "granted" && this.config.EMAIL_MARKETING_CONSENT === "explicit") return "no_consent";
    if (compliance.marketingSends >= this.config.EMAIL_FREQUENCY_CAP) return "frequency_cap";
    return undefined;
  }

  private compose(prepared: Prepared, content: RenderedContent, workspaceTracking: boolean): OutgoingEmail {
    const { request, workspaceId, send, facts } = prepared;
    const config = this.config;
    const headers: Record<string, string> = {};
    let html = content.html;
    let text = content.text;
    const secret = config.TRACKING_SECRET;
    if (secret && config.EMAIL_TRACKING_BASE_URL && config.EMAIL_TRACKING_ENABLED && workspaceTracking) {
      const opens = request.tracking ? request.tracking.opens : true;
      const clicks = request.tracking ? request.tracking.clicks : true;
      const message = {
        w: workspaceId,
        c: send.contactId,
        k: send.idempotencyKey,
        ...(send.runId ? { r: send.runId } : {}),
        ...(send.nodeId ? { n: send.nodeId } : {}),
        ...(send.workflowId ? { f: send.workflowId } : {}),
        ...(send.variantId ? { v: send.variantId } : {}),
      };
      html = addTracking(html, message, {
        baseUrl: config.EMAIL_TRACKING_BASE_URL,
        secret,
        opens,
        clicks,
        utm: facts.utm,
      });
    }
    if (secret && config.EMAIL_PUBLIC_BASE_URL && facts.category !== "transactional") {
      const token = signUnsubscribeToken(
        {
          w: workspaceId,
          c: send.contactId,
          e: send.email,
          k: send.idempotencyKey,
          ...(facts.topic ? { t: facts.topic } : {}),
        },
        secret,
      );
      headers["List-Unsubscribe"] = `<${config.EMAIL_PUBLIC_BASE_URL}/email/unsubscribe/${token}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      const link = `${config.EMAIL_PUBLIC_BASE_URL}/email/preferences/${token}`;
      html = html.includes("{{unsubscribe_url}}")
        ? html.replaceAll("{{unsubscribe_url}}", link)
        : appendFooter(html, link);
      // The plain-text part offers the same way out (a text-only reader sees no HTML footer).
      if (text)
        text = text.includes("{{unsubscribe_url}}")
          ? text.replaceAll("{{unsubscribe_url}}", link)
          : `${text}\n\nUnsubscribe or manage your email preferences: ${link}\n`;
    }
    const defaultFrom = parseAddress(config.EMAIL_DEFAULT_FROM);
    // A workflow's email node gives a sender name only: it goes with the default address.
    const from = request.from?.address
      ? { address: request.from.address, name: request.from.name || undefined }
      : { address: defaultFrom.address, name: request.from?.name || defaultFrom.name };
    return {
      workspaceId,
      contactId: send.contactId,
      idempotencyKey: send.idempotencyKey,
      from,
      to: { address: send.email, name: request.to?.name || undefined },
      ...(request.replyTo?.address
        ? { replyTo: { address: request.replyTo.address, name: request.replyTo.name || undefined } }
        : {}),
      subject: content.subject,
      html,
      text,
      headers,
      tags: [...request.tags],
    };
  }

  /** Provider call with failover on outages; commits the result. */
  private async deliver(prepared: Prepared, email: OutgoingEmail, providers: EmailProvider[]): Promise<SendResult> {
    const { workspaceId, send } = prepared;
    const failures: string[] = [];
    for (const [index, provider] of providers.entries()) {
      if (index > 0)
        await this.ledger.setProvider(this.dataSource.manager, workspaceId, send.idempotencyKey, provider.kind);
      // The built-in outbox is a local table: no provider account to protect, no rate-limit round trip.
      const token =
        provider.kind === "outbox"
          ? { granted: true, waitMs: 0 }
          : await this.rateLimiter.take(provider.account, provider.ratePerSecond, MAX_RATE_WAIT_MS);
      if (!token.granted)
        return this.defer(prepared, new Date(this.clock.now().getTime() + token.waitMs), "provider_rate_limited");
      try {
        const receipt = await provider.send(email);
        await this.commit(
          prepared,
          (manager, at) =>
            this.ledger.markSent(
              manager,
              workspaceId,
              send.idempotencyKey,
              provider.kind,
              receipt.providerMessageId,
              at,
            ),
          {
            status: OutcomeStatus.SENT,
            provider: provider.kind,
            providerMessageId: receipt.providerMessageId,
            details: failures.length > 0 ? { failed_over_from: failures } : undefined,
          },
        );
        await this.decideAbWinner(prepared);
        return "sent";
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.kind === "rejected") {
          return this.finish(prepared, "failed", {
            status: OutcomeStatus.FAILED,
            reason: "provider_rejected",
            provider: provider.kind,
            details: { message: error.message, status: error.status ?? null },
          });
        }
        if (error.kind === "rate_limited") {
          const waitMs = error.retryAfterMs ?? 1_000;
          await this.rateLimiter.block(provider.account, waitMs);
          return this.defer(prepared, new Date(this.clock.now().getTime() + waitMs), "provider_rate_limited");
        }
        this.logger.warn(`provider outage: ${error.message}`);
        failures.push(`${provider.kind}: ${error.message}`);
      }
    }
    const record = await this.ledger.find(this.dataSource.manager, workspaceId, send.idempotencyKey);
    if ((record?.attempts ?? 1) >= this.config.EMAIL_MAX_SEND_ATTEMPTS) {
      return this.finish(prepared, "failed", {
        status: OutcomeStatus.FAILED,
        reason: "provider_unavailable",
        details: { errors: failures },
      });
    }
    const backoff = this.config.EMAIL_RETRY_BACKOFF * 2 ** Math.max(0, (record?.attempts ?? 1) - 1);
    return this.defer(prepared, new Date(this.clock.now().getTime() + backoff), "provider_unavailable", {
      errors: failures,
    });
  }

  private async decideAbWinner(prepared: Prepared): Promise<void> {
    try {
      const winner = await this.abTests.afterSent(prepared.workspaceId, prepared.ab, this.clock.now());
      if (winner)
        this.logger.log(
          `A/B ${prepared.ab?.workflowId}/${prepared.ab?.nodeId}: variant ${winner} wins; new sends all get it`,
        );
    } catch (error) {
      // The send is done; the winner is evaluated again after the next one.
      this.logger.warn(`A/B winner evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async defer(prepared: Prepared, until: Date, reason: string, details: JsonObject = {}): Promise<"deferred"> {
    const { workspaceId, send } = prepared;
    await this.commit(
      prepared,
      async (manager, at) => {
        await this.ledger.upsert(manager, { ...send, state: "deferred", reason }, at);
        await this.deferred.schedule(manager, {
          workspaceId,
          idempotencyKey: send.idempotencyKey,
          contactId: send.contactId,
          dueAt: until,
          reason,
          request: send.request,
        });
      },
      { status: OutcomeStatus.DEFERRED, reason, details: { ...details, until: until.toISOString() } },
      false,
    );
    return "deferred";
  }

  /** Records a final state (failed / skipped) with its outcome. */
  private async finish(prepared: Prepared, state: "failed" | "skipped", facts: OutcomeFacts): Promise<SendResult> {
    const { send } = prepared;
    await this.commit(
      prepared,
      (manager, at) =>
        this.ledger.upsert(
          manager,
          { ...send, state, reason: facts.reason ?? null, provider: facts.provider ?? null },
          at,
        ),
      facts,
    );
    return state;
  }

  /** One transaction: the ledger change, the outcome in the outbox, and (unless still deferred) the deferred row removed. */
  private async commit(
    prepared: Prepared,
    change: (manager: EntityManager, at: Date) => Promise<void>,
    facts: OutcomeFacts,
    done = true,
  ): Promise<void> {
    const { workspaceId, send } = prepared;
    const at = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await change(manager, at);
      // Only a send that came from the deferred table (or a reconciliation) can have a row there.
      if (done && prepared.trigger !== "request") await this.deferred.remove(manager, workspaceId, send.idempotencyKey);
      await this.outbox.add(manager, Topics.OutcomesV1, [{ value: emailOutcome(send, facts, at) }]);
    });
    this.relays.notify(SCHEMA);
  }
}

function appendFooter(html: string, link: string): string {
  const footer = `<p style="font-size:12px;color:#888"><a href="${link}" data-cascade-track="off">Unsubscribe or manage your email preferences</a></p>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : `${html}${footer}`;
}

function parseAddress(value: string): { address: string; name?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  return match ? { address: match[2] ?? value, name: match[1] || undefined } : { address: value.trim() };
}
