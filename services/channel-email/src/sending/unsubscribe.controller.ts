import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post } from "@nestjs/common";
import { OutcomeStatus, Topics } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { CLOCK, type Clock } from "../clock.js";
import { EMAIL_CONFIG, type EmailConfig } from "../config/email-config.js";
import { emailOutcome } from "./outcome-factory.js";
import { SendLedgerRepository } from "./send-ledger.repository.js";
import { SuppressionsRepository } from "./suppressions.repository.js";
import { verifyUnsubscribeToken, type UnsubscribeSubject } from "./unsubscribe-token.js";
import { SCHEMA } from "./use-cases/send-email.use-case.js";

const ALL = "*";

/**
 * Public unsubscribe endpoints behind the signed links of each marketing email:
 * POST /email/unsubscribe/:token (List-Unsubscribe-Post one-click), GET /email/preferences/:token (the page),
 * POST /email/preferences/:token (the page's form: `topic` values stay subscribed, `all=off` leaves all marketing).
 */
@Controller("email")
export class UnsubscribeController {
  private readonly suppressions = new SuppressionsRepository();
  private readonly ledger = new SendLedgerRepository();
  private readonly outbox = new Outbox(SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post("unsubscribe/:token")
  @HttpCode(200)
  async oneClick(@Param("token") token: string): Promise<{ unsubscribed: string }> {
    const subject = this.subject(token);
    const topic = subject.t ?? ALL;
    await this.change(subject, { [topic]: false });
    return { unsubscribed: topic };
  }

  @Get("preferences/:token")
  @Header("content-type", "text/html; charset=utf-8")
  async page(@Param("token") token: string): Promise<string> {
    const subject = this.subject(token);
    const current = await this.suppressions.subscriptions(this.dataSource.manager, subject.w, subject.e);
    const topics = [
      ...new Set([...(subject.t ? [subject.t] : []), ...Object.keys(current).filter((topic) => topic !== ALL)]),
    ];
    const checked = (topic: string): string => (current[topic] === false || current[ALL] === false ? "" : " checked");
    const rows = topics
      .map(
        (topic) =>
          `<label><input type="checkbox" name="topic" value="${escapeHtml(topic)}"${checked(topic)}> ${escapeHtml(topic)}</label><br>`,
      )
      .join("\n");
    return `<!doctype html><html><head><meta charset="utf-8"><title>Email preferences</title></head><body>
<h1>Email preferences for ${escapeHtml(subject.e)}</h1>
<form method="post">
${rows}
<label><input type="checkbox" name="all" value="off"${current[ALL] === false ? " checked" : ""}> Unsubscribe from all marketing email</label><br>
<button type="submit">Save</button>
</form></body></html>`;
  }

  @Post("preferences/:token")
  @Header("content-type", "text/html; charset=utf-8")
  async save(@Param("token") token: string, @Body() body: unknown): Promise<string> {
    const subject = this.subject(token);
    const form = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const kept = new Set(
      ([] as unknown[]).concat(form["topic"] ?? []).filter((topic): topic is string => typeof topic === "string"),
    );
    const known = await this.suppressions.subscriptions(this.dataSource.manager, subject.w, subject.e);
    const topics = new Set([
      ...(subject.t ? [subject.t] : []),
      ...Object.keys(known).filter((topic) => topic !== ALL),
      ...kept,
    ]);
    const changes: Record<string, boolean> = { [ALL]: form["all"] !== "off" };
    for (const topic of topics) changes[topic] = kept.has(topic);
    await this.change(subject, changes);
    return `<!doctype html><html><body><p>Your email preferences are saved.</p></body></html>`;
  }

  private subject(token: string): UnsubscribeSubject {
    const secret = this.config.TRACKING_SECRET;
    const subject = secret ? verifyUnsubscribeToken(token, secret) : undefined;
    if (!subject) throw new NotFoundException("unknown or invalid unsubscribe link");
    return subject;
  }

  /** Stores the subscription changes; any unsubscribe also publishes an `unsubscribed` outcome for the send. */
  private async change(subject: UnsubscribeSubject, changes: Record<string, boolean>): Promise<void> {
    const at = this.clock.now();
    const unsubscribedFrom = Object.entries(changes)
      .filter(([, subscribed]) => !subscribed)
      .map(([topic]) => topic);
    await this.dataSource.transaction(async (manager) => {
      for (const [topic, subscribed] of Object.entries(changes)) {
        await this.suppressions.setSubscription(manager, subject.w, subject.e, subject.c, topic, subscribed, at);
      }
      if (unsubscribedFrom.length === 0) return;
      const send = await this.ledger.find(manager, subject.w, subject.k);
      if (send) await this.ledger.recordFeedback(manager, subject.w, subject.k, "unsubscribed_at", at);
      const outcome = emailOutcome(
        {
          workspaceId: subject.w,
          idempotencyKey: subject.k,
          contactId: subject.c,
          runId: send?.runId,
          nodeId: send?.nodeId,
          workflowId: send?.workflowId,
          variantId: send?.variantId,
        },
        {
          status: OutcomeStatus.UNSUBSCRIBED,
          reason: "unsubscribe_link",
          provider: send?.provider,
          providerMessageId: send?.providerMessageId,
          details: { topics: unsubscribedFrom },
        },
        at,
      );
      await this.outbox.add(manager, Topics.OutcomesV1, [{ value: outcome }]);
    });
    this.relays.notify(SCHEMA);
  }
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );
