import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  EventSchema,
  EventType,
  MessageCategory,
  newEnvelope,
  OutcomeStatus,
  SystemEvents,
  Topics,
} from "@cascade/contracts";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { createChannelEmailService, DeferredSendsPoller, ManualClock } from "../src/index.js";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { MailgunApiFake } from "./fakes/mailgun-api.fake.js";
import { SendGridApiFake } from "./fakes/sendgrid-api.fake.js";
import { SesApiFake } from "./fakes/ses-api.fake.js";
import { SmtpFake } from "./fakes/smtp.fake.js";
import { adminHeaders, emailRequest, OutcomeCollector, putProviders } from "./support.js";

const NOON_UTC = new Date("2026-01-15T12:00:00Z");
const TRACKING_BASE = "http://127.0.0.1:1/track";

describe("channel-email on the real broker and PostgreSQL", () => {
  const clock = new ManualClock(NOON_UTC);
  const mailgun = new MailgunApiFake("key-mailgun");
  const sendgrid = new SendGridApiFake("SG.key");
  const ses = new SesApiFake("AKIDEXAMPLE");
  const smtp = new SmtpFake();
  let platform: TestPlatform;
  let outcomes: OutcomeCollector;
  let db: pg.Client;

  const mailgunSpec = () => ({
    kind: "mailgun",
    settings: { domain: "mg.shop.example", baseUrl: mailgun.url },
    secrets: { apiKey: "key-mailgun" },
  });
  const smtpSpec = () => ({ kind: "smtp", settings: {}, secrets: { url: smtp.url } });
  const publish = (request: ReturnType<typeof emailRequest>) =>
    platform.bus.publish(Topics.ChannelEmailRequestsV1, [{ value: request }]);
  const newContact = () => `c-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await Promise.all([mailgun.start(), sendgrid.start(), ses.start(), smtp.start()]);
    platform = await startTestPlatform({
      services: [createChannelEmailService({ clock })],
      env: {
        EMAIL_SECRETS_KEY: "test-secrets-key-0123456789",
        EMAIL_DEFERRED_POLL_INTERVAL: "1h",
        EMAIL_PROVIDER_TIMEOUT_MS: "1500",
        EMAIL_RETRY_BACKOFF: "1s",
        TRACKING_SECRET: "tracking-secret-0123456789",
        EMAIL_TRACKING_BASE_URL: TRACKING_BASE,
      },
    });
    outcomes = await new OutcomeCollector().start(platform);
    db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await outcomes?.close();
    await platform?.close();
    await db?.end();
    await Promise.all([mailgun.close(), sendgrid.close(), ses.close(), smtp.close()]);
  });

  it("without a provider, mail lands in the built-in outbox that the studio lists", async () => {
    const request = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(request);
    const sent = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    expect(sent.provider).toBe("outbox");
    const response = await fetch(`${platform.url}/api/email/outbox`, { headers: adminHeaders(platform) });
    expect(response.status).toBe(200);
    const { mails } = (await response.json()) as {
      mails: Array<{ idempotencyKey: string; subject: string; html: string; text: string }>;
    };
    const mail = mails.find((candidate) => candidate.idempotencyKey === request.idempotencyKey);
    expect(mail?.subject).toBe("Hello Ada");
    expect(mail?.text).toContain("Hi Ada");
    expect((await fetch(`${platform.url}/api/email/outbox`)).status).toBe(401);
  });

  it("sends through Mailgun with the custom variables, tracked links and the open pixel", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    const stored = (
      await db.query(`SELECT encrypted_secrets FROM channel_email.provider_settings WHERE workspace_id = $1`, [
        platform.workspaceId,
      ])
    ).rows[0] as { encrypted_secrets: string };
    expect(stored.encrypted_secrets).not.toContain("key-mailgun");
    const request = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(request);
    const sent = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    expect(sent.provider).toBe("mailgun");
    const message = mailgun.received.find((m) => m.fields["v:cascade_idempotency_key"]?.[0] === request.idempotencyKey);
    expect(message?.fields["v:cascade_workspace"]).toEqual([platform.workspaceId]);
    expect(message?.fields["v:cascade_contact_id"]).toEqual([request.contactId]);
    expect(sent.providerMessageId).toBe(message?.messageId);
    const html = message?.fields["html"]?.[0] ?? "";
    expect(html).toContain(`${TRACKING_BASE}/t/c/`);
    expect(html).toContain(`${TRACKING_BASE}/t/o/`);
    expect(html).not.toContain('href="https://shop.example/sale');
    expect(outcomes.for(request.idempotencyKey).map((o) => o.status)).toContain(OutcomeStatus.QUEUED);
  });

  it("sends through SendGrid, SES and SMTP", async () => {
    await putProviders(platform, {
      primary: { kind: "sendgrid", settings: { baseUrl: sendgrid.url }, secrets: { apiKey: "SG.key" } },
    });
    const viaSendGrid = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(viaSendGrid);
    expect((await outcomes.waitFor(viaSendGrid.idempotencyKey, OutcomeStatus.SENT)).provider).toBe("sendgrid");
    expect(sendgrid.received.at(-1)?.personalizations[0]?.custom_args?.["cascade_idempotency_key"]).toBe(
      viaSendGrid.idempotencyKey,
    );

    await putProviders(platform, {
      primary: {
        kind: "ses",
        settings: { region: "eu-west-1", endpoint: ses.url },
        secrets: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      },
    });
    const viaSes = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(viaSes);
    expect((await outcomes.waitFor(viaSes.idempotencyKey, OutcomeStatus.SENT)).provider).toBe("ses");
    expect(ses.received.at(-1)?.Content.Simple.Subject.Data).toBe("Hello Ada");

    await putProviders(platform, { primary: smtpSpec() });
    const viaSmtp = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(viaSmtp);
    expect((await outcomes.waitFor(viaSmtp.idempotencyKey, OutcomeStatus.SENT)).provider).toBe("smtp");
    const mail = smtp.received.find((m) => m.raw.includes(viaSmtp.idempotencyKey));
    expect(mail?.to).toEqual(["ada@example.com"]);
    expect(mail?.raw).toContain("Subject: Hello Ada");
  });

  it("fails over to the secondary on an outage, never on a permanent rejection", async () => {
    await putProviders(platform, { primary: mailgunSpec(), secondary: smtpSpec() });
    mailgun.failNext({ status: 503, times: 1 });
    const outage = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(outage);
    const sent = await outcomes.waitFor(outage.idempotencyKey, OutcomeStatus.SENT);
    expect(sent.provider).toBe("smtp");
    expect(JSON.stringify(sent.details)).toContain("503");

    mailgun.failNext({
      status: 400,
      times: 1,
      body: JSON.stringify({ message: "to parameter is not a valid address" }),
    });
    const smtpBefore = smtp.received.length;
    const rejected = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(rejected);
    const failed = await outcomes.waitFor(rejected.idempotencyKey, OutcomeStatus.FAILED);
    expect(failed.reason).toBe("provider_rejected");
    expect(smtp.received.length).toBe(smtpBefore);
  });

  it("sends a redelivered request once", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    const request = emailRequest(platform.workspaceId, { contactId: newContact() });
    await platform.bus.publish(Topics.ChannelEmailRequestsV1, [{ value: request }, { value: request }]);
    await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    const marker = emailRequest(platform.workspaceId, {
      contactId: request.contactId,
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(marker);
    await outcomes.waitFor(marker.idempotencyKey, OutcomeStatus.SENT);
    expect(
      mailgun.received.filter((m) => m.fields["v:cascade_idempotency_key"]?.[0] === request.idempotencyKey),
    ).toHaveLength(1);
    expect(outcomes.for(request.idempotencyKey).filter((o) => o.status === OutcomeStatus.SENT)).toHaveLength(1);
  });

  it("suppresses an address after a hard-bounce callback and publishes the bounce outcome", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    const contactId = newContact();
    const first = emailRequest(platform.workspaceId, { contactId, to: { address: `${contactId}@example.com` } });
    await publish(first);
    const sent = await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.SENT);
    const bounce = create(EventSchema, {
      envelope: newEnvelope(platform.workspaceId),
      type: EventType.TRACK,
      event: SystemEvents.EmailBounced,
      contactId,
      properties: {
        bounce_type: "hard",
        email: `${contactId}@example.com`,
        cascade_idempotency_key: first.idempotencyKey,
        provider_message_id: sent.providerMessageId,
        reason: "550 no such user",
      },
    });
    await platform.bus.publish(Topics.EventsV1, [{ value: bounce }]);
    const bounced = await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.BOUNCED_HARD);
    expect(bounced.runId).toBe(first.runId);
    const second = emailRequest(platform.workspaceId, {
      contactId,
      to: { address: `${contactId}@example.com` },
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(second);
    const skipped = await outcomes.waitFor(second.idempotencyKey, OutcomeStatus.SKIPPED);
    expect(skipped.reason).toBe("suppressed:hard_bounce");
  });

  it("caps marketing mail per contact across workflows; transactional mail is exempt", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    const contactId = newContact();
    const keys: string[] = [];
    for (const workflowId of ["wf-a", "wf-b", "wf-a", "wf-b"]) {
      const request = emailRequest(platform.workspaceId, { contactId, workflowId });
      keys.push(request.idempotencyKey);
      await publish(request);
    }
    const receipt = emailRequest(platform.workspaceId, { contactId, category: MessageCategory.TRANSACTIONAL });
    await publish(receipt);
    await outcomes.waitFor(receipt.idempotencyKey, OutcomeStatus.SENT);
    for (const key of keys.slice(0, 3)) await outcomes.waitFor(key, OutcomeStatus.SENT);
    expect((await outcomes.waitFor(keys[3] ?? "", OutcomeStatus.SKIPPED)).reason).toBe("frequency_cap");
  });

  it("defers marketing mail in the contact's quiet hours and sends it when they end", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    // 12:00 UTC is 23:00 in Sydney (UTC+11 in January): quiet.
    const request = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      variables: { contact: { first_name: "Ada", timezone: "Australia/Sydney" } },
    });
    await publish(request);
    const deferred = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.DEFERRED).catch((e: unknown) => {
      throw new Error(
        `${String(e)} ${JSON.stringify(outcomes.for(request.idempotencyKey).map((o) => [o.status, o.reason]))}`,
      );
    });
    expect(deferred.reason).toBe("quiet_hours");
    expect(JSON.stringify(deferred.details)).toContain("2026-01-15T21:00:00.000Z");
    const poller = platform.app.get(DeferredSendsPoller);
    await poller.runOnce();
    expect(outcomes.for(request.idempotencyKey).some((o) => o.status === OutcomeStatus.SENT)).toBe(false);
    clock.set(new Date("2026-01-15T21:00:00Z"));
    try {
      await poller.runOnce();
      await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    } finally {
      clock.set(NOON_UTC);
    }
  });

  it("reconciles a send left in flight by a crash: Mailgun look-up instead of a resend; SMTP marked unknown", async () => {
    await putProviders(platform, { primary: mailgunSpec() });
    const request = emailRequest(platform.workspaceId, { contactId: newContact() });
    // The crash: the ledger says "sending" and Mailgun had accepted the message before the process died.
    await insertSending(request.idempotencyKey, request.contactId, "mailgun");
    mailgun.accepted.push({
      messageId: "crashed@mg.shop.example",
      userVariables: { cascade_idempotency_key: request.idempotencyKey },
    });
    const before = mailgun.received.length;
    await publish(request);
    const sent = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    expect(sent.providerMessageId).toBe("crashed@mg.shop.example");
    expect(mailgun.received.length).toBe(before);

    await putProviders(platform, { primary: smtpSpec() });
    const blind = emailRequest(platform.workspaceId, { contactId: newContact() });
    await insertSending(blind.idempotencyKey, blind.contactId, "smtp");
    const smtpBefore = smtp.received.length;
    await publish(blind);
    const alert = await outcomes.waitFor(blind.idempotencyKey, OutcomeStatus.ALERT);
    expect(alert.reason).toBe("send_state_unknown");
    expect(smtp.received.length).toBe(smtpBefore);
    const listed = await fetch(`${platform.url}/api/email/sends?state=unknown`, { headers: adminHeaders(platform) });
    expect(JSON.stringify(await listed.json())).toContain(blind.idempotencyKey);

    async function insertSending(key: string, contactId: string, provider: string): Promise<void> {
      await db.query(
        `INSERT INTO channel_email.send_ledger (workspace_id, idempotency_key, contact_id, email, email_domain, category, state, provider, attempts, request, created_at, updated_at)
         VALUES ($1, $2, $3, 'ada@example.com', 'example.com', 'marketing', 'sending', $4, 1, '\\x', now(), now())`,
        [platform.workspaceId, key, contactId, provider],
      );
    }
  });

  it("a render error is a failed outcome with the reason, and the consumer carries on", async () => {
    const broken = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      html: "<p>{{#if contact.first_name}}unclosed</p>",
    });
    await publish(broken);
    const failed = await outcomes.waitFor(broken.idempotencyKey, OutcomeStatus.FAILED);
    expect(failed.reason).toBe("render_error:template_syntax");
    const next = emailRequest(platform.workspaceId, {
      contactId: newContact(),
      category: MessageCategory.TRANSACTIONAL,
    });
    await publish(next);
    await outcomes.waitFor(next.idempotencyKey, OutcomeStatus.SENT);
  });
});
