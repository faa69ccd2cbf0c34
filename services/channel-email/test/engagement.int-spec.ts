import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  EmailVariantSchema,
  EventSchema,
  EventType,
  MessageCategory,
  newEnvelope,
  OutcomeStatus,
  SystemEvents,
  Topics,
} from "@cascade/contracts";
import { eventually, startTestPlatform, type TestPlatform } from "@cascade/testing";
import {
  createChannelEmailService,
  DeferredSendsPoller,
  DeliverabilityMonitor,
  ManualClock,
  ProviderRateLimiter,
} from "../src/index.js";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { DataSource } from "typeorm";
import { pickVariant } from "../src/sending/variant-picker.js";
import { MailgunApiFake } from "./fakes/mailgun-api.fake.js";
import { adminHeaders, emailRequest, OutcomeCollector, putProviders } from "./support.js";

const NOON_UTC = new Date("2026-01-15T12:00:00Z");
const TRACKING_BASE = "http://127.0.0.1:1/track";
const PUBLIC_BASE = "http://public.example";
const BASE_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cascade_test";
/**
 * Its own database: the runtime's outbox table and the deferred-send poller are per service schema, so two test
 * files running channel-email at once on one database would relay (and poll) each other's rows.
 */
const DATABASE_NAME = "cascade_test_channel_email_engagement";
const DATABASE_URL = (() => {
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${DATABASE_NAME}`;
  return url.toString();
})();

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DATABASE_NAME]);
    if (exists.rowCount === 0)
      await admin.query(`CREATE DATABASE ${DATABASE_NAME}`).catch((error: unknown) => {
        if (!String(error).includes("already exists")) throw error;
      });
  } finally {
    await admin.end();
  }
}

describe("channel-email tracking, unsubscribe, rate limits, A/B, send time and deliverability", () => {
  const clock = new ManualClock(NOON_UTC);
  const mailgun = new MailgunApiFake("key-mailgun");
  let platform: TestPlatform;
  let outcomes: OutcomeCollector;
  let db: pg.Client;

  const publish = (request: ReturnType<typeof emailRequest>) =>
    platform.bus.publish(Topics.ChannelEmailRequestsV1, [{ value: request }]);
  const newContact = () => `c-${randomUUID().slice(0, 8)}`;
  const received = (key: string) => mailgun.received.find((m) => m.fields["v:cascade_idempotency_key"]?.[0] === key);
  const onPlatform = (url: string) => url.replace(PUBLIC_BASE, platform.url);

  beforeAll(async () => {
    await Promise.all([mailgun.start(), ensureDatabase()]);
    platform = await startTestPlatform({
      services: [createChannelEmailService({ clock })],
      env: {
        DATABASE_URL,
        EMAIL_SECRETS_KEY: "test-secrets-key-0123456789",
        EMAIL_DEFERRED_POLL_INTERVAL: "1h",
        EMAIL_DELIVERABILITY_INTERVAL: "1h",
        EMAIL_DELIVERABILITY_MIN_SAMPLE: "10",
        EMAIL_SEND_TIME_MIN_EVENTS: "3",
        EMAIL_FREQUENCY_CAP: "100",
        TRACKING_SECRET: "tracking-secret-0123456789",
        EMAIL_TRACKING_BASE_URL: TRACKING_BASE,
        EMAIL_PUBLIC_BASE_URL: PUBLIC_BASE,
      },
    });
    outcomes = await new OutcomeCollector().start(platform);
    db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    await putProviders(platform, {
      primary: {
        kind: "mailgun",
        settings: { domain: "mg.shop.example", baseUrl: mailgun.url },
        secrets: { apiKey: "key-mailgun" },
      },
    });
  });

  afterAll(async () => {
    await outcomes?.close();
    await platform?.close();
    await db?.end();
    await mailgun.close();
  });

  it("marketing mail carries one-click List-Unsubscribe headers; the one-click POST unsubscribes and later mail of the topic is skipped", async () => {
    const contactId = newContact();
    const to = { address: `${contactId}@example.com`, name: "Ada" };
    const first = emailRequest(platform.workspaceId, {
      contactId,
      to,
      variables: { contact: { first_name: "Ada", timezone: "UTC" }, topic: "newsletter" },
    });
    await publish(first);
    await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.SENT);
    const fields = received(first.idempotencyKey)?.fields ?? {};
    expect(fields["h:List-Unsubscribe-Post"]).toEqual(["List-Unsubscribe=One-Click"]);
    const header = fields["h:List-Unsubscribe"]?.[0] ?? "";
    expect(header).toMatch(new RegExp(`^<${PUBLIC_BASE}/email/unsubscribe/[^>]+>$`));
    const html = fields["html"]?.[0] ?? "";
    const preferencesUrl = /href="([^"]*\/email\/preferences\/[^"]+)"/.exec(html)?.[1] ?? "";
    expect(preferencesUrl).not.toBe("");

    // What a mailbox provider does for RFC 8058 one-click.
    const oneClick = await fetch(onPlatform(header.slice(1, -1)), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({ unsubscribed: "newsletter" });
    const unsubscribed = await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.UNSUBSCRIBED);
    expect(unsubscribed.reason).toBe("unsubscribe_link");
    expect(unsubscribed.runId).toBe(first.runId);
    const rows = await db.query(
      `SELECT topic, subscribed FROM channel_email.subscriptions WHERE workspace_id = $1 AND email = $2`,
      [platform.workspaceId, to.address],
    );
    expect(rows.rows).toEqual([{ topic: "newsletter", subscribed: false }]);
    const ledger = await db.query(
      `SELECT unsubscribed_at FROM channel_email.send_ledger WHERE workspace_id = $1 AND idempotency_key = $2`,
      [platform.workspaceId, first.idempotencyKey],
    );
    expect(ledger.rows[0]?.unsubscribed_at).not.toBeNull();

    const later = emailRequest(platform.workspaceId, {
      contactId,
      to,
      variables: { contact: { timezone: "UTC" }, topic: "newsletter" },
    });
    await publish(later);
    expect((await outcomes.waitFor(later.idempotencyKey, OutcomeStatus.SKIPPED)).reason).toBe("unsubscribed");
    const receipt = emailRequest(platform.workspaceId, {
      contactId,
      to,
      category: MessageCategory.TRANSACTIONAL,
      variables: { topic: "newsletter" },
    });
    await publish(receipt);
    await outcomes.waitFor(receipt.idempotencyKey, OutcomeStatus.SENT);
    expect(received(receipt.idempotencyKey)?.fields["h:List-Unsubscribe"]).toBeUndefined();

    // The preference page lists the topic (now unchecked) and its form re-subscribes.
    const page = await fetch(onPlatform(preferencesUrl));
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`value="newsletter">`);
    expect(body).toContain(to.address);
    const saved = await fetch(onPlatform(preferencesUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "topic=newsletter&topic=offers",
    });
    expect(saved.status).toBe(201);
    const after = await db.query(
      `SELECT topic, subscribed FROM channel_email.subscriptions WHERE workspace_id = $1 AND email = $2 ORDER BY topic`,
      [platform.workspaceId, to.address],
    );
    expect(after.rows).toEqual([
      { topic: "*", subscribed: true },
      { topic: "newsletter", subscribed: true },
      { topic: "offers", subscribed: true },
    ]);
    const again = emailRequest(platform.workspaceId, {
      contactId,
      to,
      variables: { contact: { timezone: "UTC" }, topic: "newsletter" },
    });
    await publish(again);
    await outcomes.waitFor(again.idempotencyKey, OutcomeStatus.SENT);
    expect((await fetch(`${platform.url}/email/unsubscribe/forged.token`, { method: "POST" })).status).toBe(404);
  });

  it("a workspace with tracking switched off gets no open pixel and no rewritten links", async () => {
    const off = await fetch(`${platform.url}/api/email/settings`, {
      method: "PUT",
      headers: adminHeaders(platform),
      body: JSON.stringify({ trackingEnabled: false }),
    });
    expect(await off.json()).toEqual({ trackingEnabled: false });
    const bad = await fetch(`${platform.url}/api/email/settings`, {
      method: "PUT",
      headers: adminHeaders(platform),
      body: JSON.stringify({ trackingEnabled: "no" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("trackingEnabled");
    try {
      const untracked = emailRequest(platform.workspaceId, { contactId: newContact() });
      await publish(untracked);
      await outcomes.waitFor(untracked.idempotencyKey, OutcomeStatus.SENT);
      const html = received(untracked.idempotencyKey)?.fields["html"]?.[0] ?? "";
      expect(html).toContain('href="https://shop.example/sale?utm_source=x"');
      expect(html).not.toContain(TRACKING_BASE);
    } finally {
      await fetch(`${platform.url}/api/email/settings`, {
        method: "PUT",
        headers: adminHeaders(platform),
        body: JSON.stringify({ trackingEnabled: true }),
      });
    }
    const tracked = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(tracked);
    await outcomes.waitFor(tracked.idempotencyKey, OutcomeStatus.SENT);
    expect(received(tracked.idempotencyKey)?.fields["html"]?.[0]).toContain(`${TRACKING_BASE}/t/o/`);
  });

  it("the PostgreSQL token bucket holds one account to its rate across two instances sharing the database", async () => {
    const sources = [
      new DataSource({ type: "postgres", url: DATABASE_URL, poolSize: 2 }),
      new DataSource({ type: "postgres", url: DATABASE_URL, poolSize: 2 }),
    ];
    await Promise.all(sources.map((source) => source.initialize()));
    try {
      const account = `test-account-${randomUUID()}`;
      const rate = 20;
      const limiters = sources.map((source) => new ProviderRateLimiter(source));
      const started = Date.now();
      const runForMs = 1_000;
      const granted = await Promise.all(
        limiters.map(async (limiter) => {
          let count = 0;
          while (Date.now() - started < runForMs) if ((await limiter.tryTake(account, rate)).granted) count += 1;
          return count;
        }),
      );
      const elapsed = (Date.now() - started) / 1000;
      const total = granted[0]! + granted[1]!;
      // Capacity (one second of rate) plus the refill over the run; per-instance buckets would allow twice that.
      expect(total).toBeLessThanOrEqual(rate + Math.ceil(rate * elapsed) + 1);
      expect(total).toBeGreaterThanOrEqual(rate + Math.floor(((rate * runForMs) / 1000) * 0.6));
      expect(Math.min(...granted)).toBeGreaterThan(0);
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });

  it("a provider 429 with Retry-After defers the send (not fails) and it goes out after the delay", async () => {
    mailgun.failNext({
      status: 429,
      times: 1,
      headers: { "retry-after": "1" },
      body: JSON.stringify({ message: "rate limited" }),
    });
    const request = emailRequest(platform.workspaceId, { contactId: newContact() });
    await publish(request);
    const deferred = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.DEFERRED);
    expect(deferred.reason).toBe("provider_rate_limited");
    expect(JSON.stringify(deferred.details)).toContain(new Date(NOON_UTC.getTime() + 1_000).toISOString());
    const poller = platform.app.get(DeferredSendsPoller);
    await poller.runOnce();
    expect(outcomes.for(request.idempotencyKey).map((o) => o.status)).not.toContain(OutcomeStatus.SENT);
    clock.advance(1_000);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_100)); // the account's block is in real time
      await poller.runOnce();
      await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    } finally {
      clock.set(NOON_UTC);
    }
    expect(outcomes.for(request.idempotencyKey).map((o) => o.status)).not.toContain(OutcomeStatus.FAILED);
    expect(
      mailgun.received.filter((m) => m.fields["v:cascade_idempotency_key"]?.[0] === request.idempotencyKey),
    ).toHaveLength(1);
  });

  it("A/B: per-variant sent, opens, clicks and conversions; a significant click-rate winner takes all later sends", async () => {
    const workflowId = `wf-ab-${randomUUID().slice(0, 8)}`;
    const nodeId = "send-offer";
    const variants = [
      create(EmailVariantSchema, { variantId: "a", subject: "Offer A", weight: 50 }),
      create(EmailVariantSchema, { variantId: "b", subject: "Offer B", weight: 50 }),
    ];
    const contactsFor = (variantId: string, count: number): string[] => {
      const contacts: string[] = [];
      for (let i = 0; contacts.length < count; i += 1)
        if (pickVariant(variants, `${workflowId}/${nodeId}`, `${workflowId}-${i}`)?.variantId === variantId)
          contacts.push(`${workflowId}-${i}`);
      return contacts;
    };
    const abRequest = (contactId: string) =>
      emailRequest(platform.workspaceId, {
        contactId,
        workflowId,
        nodeId,
        category: MessageCategory.TRANSACTIONAL,
        variants,
        variables: {
          contact: { first_name: "Ada", timezone: "UTC" },
          ab: { conversion_event: "Order Completed", auto_winner_after: 10 },
        },
      });
    const aContacts = contactsFor("a", 15);
    const bContacts = contactsFor("b", 15).filter((contact) => !aContacts.includes(contact));
    const sends = [...aContacts.slice(0, 10), ...bContacts.slice(0, 10)].map(abRequest);
    await platform.bus.publish(
      Topics.ChannelEmailRequestsV1,
      sends.map((value) => ({ value })),
    );
    const sent = await Promise.all(
      sends.map((request) => outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT)),
    );
    expect(sent.filter((o) => o.variantId === "a")).toHaveLength(10);

    const event = (name: string, contactId: string, properties: Record<string, string> = {}) =>
      create(EventSchema, {
        envelope: newEnvelope(platform.workspaceId),
        type: EventType.TRACK,
        event: name,
        contactId,
        properties,
      });
    const aSends = sends.slice(0, 10);
    const bSends = sends.slice(10);
    const feedback = [
      ...bSends.map((r) =>
        event(SystemEvents.EmailClicked, r.contactId, { cascade_idempotency_key: r.idempotencyKey }),
      ),
      ...bSends
        .slice(0, 6)
        .map((r) => event(SystemEvents.EmailOpened, r.contactId, { cascade_idempotency_key: r.idempotencyKey })),
      event(SystemEvents.EmailClicked, aSends[0]!.contactId, { cascade_idempotency_key: aSends[0]!.idempotencyKey }),
      ...aSends
        .slice(0, 3)
        .map((r) => event(SystemEvents.EmailOpened, r.contactId, { cascade_idempotency_key: r.idempotencyKey })),
      ...bSends.slice(0, 4).map((r) => event("Order Completed", r.contactId)),
      event("Order Completed", aSends[1]!.contactId),
      event("Page Viewed", aSends[2]!.contactId),
    ];
    await platform.bus.publish(
      Topics.EventsV1,
      feedback.map((value) => ({ value })),
    );
    type Report = {
      winner: string | null;
      test: string;
      variants: Array<{
        variantId: string;
        sent: number;
        opens: number;
        clicks: number;
        conversions: number;
        clickRate: number;
      }>;
    };
    const report = async (): Promise<Report> =>
      (await (
        await fetch(`${platform.url}/api/email/ab/${workflowId}/${nodeId}`, { headers: adminHeaders(platform) })
      ).json()) as Report;
    const counted = await eventually(async () => {
      const current = await report();
      const total = current.variants.reduce((sum, v) => sum + v.clicks + v.opens + v.conversions, 0);
      return total === 11 + 9 + 5 ? current : undefined;
    }, 20_000);
    expect(counted.variants).toEqual([
      {
        variantId: "a",
        sent: 10,
        opens: 3,
        clicks: 1,
        conversions: 1,
        openRate: 0.3,
        clickRate: 0.1,
        conversionRate: 0.1,
      },
      {
        variantId: "b",
        sent: 10,
        opens: 6,
        clicks: 10,
        conversions: 4,
        openRate: 0.6,
        clickRate: 1,
        conversionRate: 0.4,
      },
    ]);
    expect(counted.winner).toBeNull();
    expect(counted.test).toContain("z-test");

    // The next send evaluates the test (b: 10/10 vs a: 1/10 clicks, z ≈ 4.0 > 1.96); later sends all get b.
    const trigger = abRequest(aContacts[10]!);
    await publish(trigger);
    await outcomes.waitFor(trigger.idempotencyKey, OutcomeStatus.SENT);
    expect((await report()).winner).toBe("b");
    const after = aContacts.slice(11, 14).map(abRequest);
    await platform.bus.publish(
      Topics.ChannelEmailRequestsV1,
      after.map((value) => ({ value })),
    );
    for (const request of after) {
      expect((await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT)).variantId).toBe("b");
      expect(received(request.idempotencyKey)?.fields["subject"]).toEqual(["Offer B"]);
    }
    expect(
      (await fetch(`${platform.url}/api/email/ab/${workflowId}/nope`, { headers: adminHeaders(platform) })).status,
    ).toBe(404);
  });

  it("send at the contact's best time: deferred to the hour learned from its opens and clicks", async () => {
    const contactId = newContact();
    for (const at of ["2026-01-10T19:05:00Z", "2026-01-11T19:40:00Z", "2026-01-12T19:10:00Z", "2026-01-12T08:10:00Z"]) {
      await db.query(
        `INSERT INTO channel_email.send_ledger (workspace_id, idempotency_key, contact_id, email, email_domain, category, state, attempts, request, created_at, updated_at, opened_at)
         VALUES ($1, $2, $3, 'sto@example.com', 'example.com', 'transactional', 'sent', 1, '\\x', $4, $4, $4)`,
        [platform.workspaceId, `sto-${randomUUID()}`, contactId, at],
      );
    }
    const request = emailRequest(platform.workspaceId, {
      contactId,
      variables: { contact: { first_name: "Ada", timezone: "UTC" }, send_at_best_time: true },
    });
    await publish(request);
    const deferred = await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.DEFERRED);
    expect(deferred.reason).toBe("best_send_time");
    expect(deferred.details?.["until"]).toBe("2026-01-15T19:00:00.000Z");
    expect(deferred.details?.["learned_from"]).toBe("contact");
    const poller = platform.app.get(DeferredSendsPoller);
    await poller.runOnce();
    expect(outcomes.for(request.idempotencyKey).map((o) => o.status)).not.toContain(OutcomeStatus.SENT);
    clock.set(new Date("2026-01-15T19:00:00Z"));
    try {
      await poller.runOnce();
      await outcomes.waitFor(request.idempotencyKey, OutcomeStatus.SENT);
    } finally {
      clock.set(NOON_UTC);
    }
  });

  it("deliverability: rates per provider and sending domain as gauges; ALERT past 5 % bounces, once per window, not below the minimum sample", async () => {
    const domain = `bouncy-${randomUUID().slice(0, 8)}.example`;
    const small = `small-${randomUUID().slice(0, 8)}.example`;
    const insertSends = async (sendingDomain: string, count: number, bounced: number, sentAt: Date): Promise<void> => {
      for (let i = 0; i < count; i += 1) {
        await db.query(
          `INSERT INTO channel_email.send_ledger (workspace_id, idempotency_key, contact_id, email, email_domain, category, state, provider, attempts, request,
             created_at, updated_at, sent_at, delivered_at, bounced_at, sending_domain)
           VALUES ($1, $2, 'c', 'x@example.com', 'example.com', 'transactional', 'sent', 'mailgun', 1, '\\x', $3, $3, $3, $4, $5, $6)`,
          [
            platform.workspaceId,
            `dm-${randomUUID()}`,
            sentAt,
            i < bounced ? null : sentAt,
            i < bounced ? sentAt : null,
            sendingDomain,
          ],
        );
      }
    };
    const at = new Date(NOON_UTC.getTime() - 3_600_000);
    await insertSends(domain, 20, 2, at); // 10 % bounces
    await insertSends(small, 5, 3, at); // 60 %, but 5 < the minimum sample of 10
    const monitor = platform.app.get(DeliverabilityMonitor);
    const alertsFor = () =>
      outcomes.outcomes.filter(
        (o) =>
          o.status === OutcomeStatus.ALERT &&
          o.reason.startsWith("deliverability:") &&
          JSON.stringify(o.details).includes(domain),
      );

    const first = await monitor.runOnce();
    expect(first.alerts.filter((a) => a.row.sendingDomain === domain).map((a) => a.kind)).toEqual(["bounce_rate"]);
    expect(first.alerts.some((a) => a.row.sendingDomain === small)).toBe(false);
    const alert = await eventually(async () => alertsFor()[0], 20_000);
    expect(alert.reason).toBe("deliverability:bounce_rate");
    expect(alert.provider).toBe("mailgun");
    expect(alert.details?.["rate"]).toBeCloseTo(0.1);

    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    const labels = `workspace="${platform.workspaceId}",provider="mailgun",sending_domain="${domain}"`;
    expect(metrics).toContain(`cascade_email_bounce_rate{${labels}} 0.1`);
    expect(metrics).toContain(`cascade_email_delivered_rate{${labels}} 0.9`);
    expect(metrics).toContain(`cascade_email_window_sent{${labels}} 20`);

    expect((await monitor.runOnce()).alerts.some((a) => a.row.sendingDomain === domain)).toBe(false);
    // A window later, bounces still high: one new alert.
    clock.advance(25 * 3_600_000);
    try {
      await insertSends(domain, 20, 4, new Date(clock.now().getTime() - 60_000));
      const later = await monitor.runOnce();
      expect(later.alerts.filter((a) => a.row.sendingDomain === domain).map((a) => a.kind)).toEqual(["bounce_rate"]);
    } finally {
      clock.set(NOON_UTC);
    }
    await eventually(async () => (alertsFor().length === 2 ? true : undefined), 20_000);
  });
});
