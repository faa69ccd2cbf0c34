import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import twilio from "twilio";
import { SystemEvents, type Event } from "@cascade/contracts";
import { ingestService } from "../src/index.js";
import { clickTrackingUrl, openPixelUrl } from "@cascade/tracking";
import { postJson, startTestPlatform, type TestPlatform } from "@cascade/testing";
import { EventCollector, sleep } from "./event-collector.js";

const TRACKING_SECRET = "tracking-secret-for-tests-0123456789";
const MAILGUN_KEY = "mailgun-signing-key-for-tests";
const TWILIO_TOKEN = "twilio-auth-token-for-tests";
const SOCIAL_SECRET = "social-secret-for-tests";

const hex = (secret: string, data: string | Buffer): string => createHmac("sha256", secret).update(data).digest("hex");
const mailgunSignature = (key = MAILGUN_KEY) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomUUID().replace(/-/g, "");
  return { timestamp, token, signature: hex(key, `${timestamp}${token}`) };
};

describe("ingest webhooks, email tracking and provider callbacks on the real broker and PostgreSQL", () => {
  let platform: TestPlatform;
  let events: EventCollector;
  const named = (name: string, contactId: string) => (event: Event) =>
    event.event === name && event.contactId === contactId;

  beforeAll(async () => {
    platform = await startTestPlatform({
      services: [ingestService],
      env: {
        TRACKING_SECRET,
        INGEST_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        INGEST_TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
        INGEST_SOCIAL_WEBHOOK_SECRET: SOCIAL_SECRET,
      },
    });
    events = await EventCollector.start(platform);
  });
  afterAll(async () => {
    await events?.close();
    await platform?.close();
  });

  describe("webhook triggers", () => {
    let hook: { id: string; secret: string; path: string };
    const send = (body: string, signature: string, headers: Record<string, string> = {}) =>
      fetch(`${platform.url}${hook.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cascade-signature": signature, ...headers },
        body,
      });

    beforeAll(async () => {
      const created = await postJson(
        `${platform.url}/api/ingest/workspaces/${platform.workspaceId}/hooks`,
        { name: "orders", contactField: "customer.id" },
        {
          authorization: `Bearer ${platform.workspace.adminKey}`,
        },
      );
      expect(created.status).toBe(201);
      hook = (await created.json()) as typeof hook;
    });

    it("turns a correctly signed call into webhook_received with the body, keyed by the configured contact field", async () => {
      const contact = `cust-${randomUUID()}`;
      const body = JSON.stringify({ customer: { id: contact }, total: 42 });
      const response = await send(body, `sha256=${hex(hook.secret, body)}`, { "idempotency-key": "delivery-1" });
      expect(response.status).toBe(200);
      const [message] = await events.waitFor(named(SystemEvents.WebhookReceived, contact));
      expect(message!.key).toBe(`${platform.workspaceId}:${contact}`);
      expect(message!.value.properties).toMatchObject({
        hook_id: hook.id,
        hook_name: "orders",
        body: { customer: { id: contact }, total: 42 },
      });
      expect(
        (await (
          await send(body, `sha256=${hex(hook.secret, body)}`, { "idempotency-key": "delivery-1" })
        ).json()) as object,
      ).toMatchObject({ duplicate: true });
    });

    it("refuses a forged or missing signature and an unknown hook", async () => {
      const body = JSON.stringify({ customer: { id: "forged" } });
      expect((await send(body, `sha256=${hex("not-the-secret", body)}`)).status).toBe(401);
      expect((await send(body, "")).status).toBe(401);
      const tampered = JSON.stringify({ customer: { id: "forged" }, extra: 1 });
      expect((await send(tampered, `sha256=${hex(hook.secret, body)}`)).status).toBe(401);
      const unknown = await fetch(`${platform.url}/v1/hooks/hook_nope`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(unknown.status).toBe(404);
      await sleep(300);
      expect(events.matching(named(SystemEvents.WebhookReceived, "forged"))).toHaveLength(0);
    });
  });

  describe("email tracking", () => {
    const message = () => ({
      w: platform.workspaceId,
      c: `reader-${randomUUID()}`,
      k: `run-1:node-${randomUUID()}`,
      r: "run-1",
      n: "node-email",
    });

    it("serves the open pixel and records email_opened with the device, client and open count", async () => {
      const sent = message();
      const url = openPixelUrl(platform.url, sent, TRACKING_SECRET);
      const iphoneMail =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
      const first = await fetch(url, { headers: { "user-agent": iphoneMail } });
      expect(first.status).toBe(200);
      expect(first.headers.get("content-type")).toBe("image/gif");
      expect(
        Buffer.from(await first.arrayBuffer())
          .subarray(0, 6)
          .toString(),
      ).toBe("GIF89a");
      await fetch(url, { headers: { "user-agent": iphoneMail } });
      const opens = await events.waitFor(named(SystemEvents.EmailOpened, sent.c), 2);
      const counts = opens.map((o) => o.value.properties?.open_count).sort();
      expect(counts).toEqual([1, 2]);
      expect(opens[0]!.value.properties).toMatchObject({
        idempotency_key: sent.k,
        run_id: "run-1",
        email_client: "Apple Mail",
        device_type: "mobile",
        os: "iOS",
      });
    });

    it("redirects a click to the original link with its UTM kept and the campaign's added, and records email_clicked", async () => {
      const sent = message();
      const link = "https://shop.example.com/item?id=9&utm_source=newsletter";
      const url = clickTrackingUrl(platform.url, sent, link, TRACKING_SECRET, {
        utm_source: "cascade",
        utm_campaign: "spring",
      });
      const response = await fetch(url, { redirect: "manual" });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get("location")!);
      expect(location.origin + location.pathname).toBe("https://shop.example.com/item");
      expect(Object.fromEntries(location.searchParams)).toEqual({
        id: "9",
        utm_source: "newsletter",
        utm_campaign: "spring",
      });
      const [click] = await events.waitFor(named(SystemEvents.EmailClicked, sent.c));
      expect(click!.value.properties).toMatchObject({ url: link, click_count: 1, idempotency_key: sent.k });
    });

    it("refuses forged and tampered tokens, so the redirect is never open", async () => {
      const sent = message();
      const forged = clickTrackingUrl(platform.url, sent, "https://evil.example.com", "another-secret-0123456789");
      const refused = await fetch(forged, { redirect: "manual" });
      expect(refused.status).toBe(400);
      expect(refused.headers.get("location")).toBeNull();
      expect(((await refused.json()) as { message: string }).message).toContain("token");
      const good = clickTrackingUrl(platform.url, sent, "https://shop.example.com", TRACKING_SECRET);
      const [, body, signature] = /\/t\/c\/([^.]+)\.(.+)$/.exec(good)!;
      const payload = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
      const tampered = Buffer.from(JSON.stringify({ ...payload, u: "https://evil.example.com" })).toString("base64url");
      expect((await fetch(`${platform.url}/t/c/${tampered}.${signature}`, { redirect: "manual" })).status).toBe(400);
      const openAsClick = openPixelUrl(platform.url, sent, TRACKING_SECRET).replace("/t/o/", "/t/c/");
      expect((await fetch(openAsClick, { redirect: "manual" })).status).toBe(400);
    });
  });

  describe("Mailgun", () => {
    const eventData = (contact: string, extra: Record<string, unknown>) => ({
      id: randomUUID(),
      timestamp: Date.now() / 1000,
      recipient: "ann@example.com",
      message: { headers: { "message-id": "<20260101.1@mg.example.com>" } },
      "user-variables": {
        cascade_workspace: platform.workspaceId,
        cascade_contact_id: contact,
        cascade_idempotency_key: "run-7:node-3",
      },
      ...extra,
    });

    it("records a signed permanent failure as email_bounced with the correlation ids, once per Mailgun event id", async () => {
      const contact = `mg-${randomUUID()}`;
      const data = eventData(contact, {
        event: "failed",
        severity: "permanent",
        "delivery-status": { code: 550, description: "no such user" },
      });
      for (let i = 0; i < 2; i++) {
        const response = await postJson(`${platform.url}/callbacks/mailgun/events`, {
          signature: mailgunSignature(),
          "event-data": data,
        });
        expect(response.status).toBe(200);
      }
      const [bounce] = await events.waitFor(named(SystemEvents.EmailBounced, contact));
      expect(bounce!.key).toBe(`${platform.workspaceId}:${contact}`);
      expect(bounce!.value.properties).toMatchObject({
        provider: "mailgun",
        bounce_type: "hard",
        reason: "no such user",
        provider_message_id: "<20260101.1@mg.example.com>",
        idempotency_key: "run-7:node-3",
        email: "ann@example.com",
      });
      await sleep(300);
      expect(events.matching(named(SystemEvents.EmailBounced, contact))).toHaveLength(1);
    });

    it("maps deliveries, deferrals, complaints and unsubscribes, and refuses a forged signature", async () => {
      const contact = `mg-${randomUUID()}`;
      const kinds: Array<[Record<string, unknown>, string]> = [
        [{ event: "delivered" }, SystemEvents.EmailDelivered],
        [{ event: "failed", severity: "temporary" }, SystemEvents.EmailDeferred],
        [{ event: "complained" }, SystemEvents.EmailComplained],
        [{ event: "unsubscribed" }, SystemEvents.EmailUnsubscribed],
      ];
      for (const [extra] of kinds) {
        expect(
          (
            await postJson(`${platform.url}/callbacks/mailgun/events`, {
              signature: mailgunSignature(),
              "event-data": eventData(contact, extra),
            })
          ).status,
        ).toBe(200);
      }
      const forged = await postJson(`${platform.url}/callbacks/mailgun/events`, {
        signature: mailgunSignature("wrong-key"),
        "event-data": eventData(contact, { event: "complained" }),
      });
      expect(forged.status).toBe(401);
      const received = await events.waitFor((event) => event.contactId === contact, kinds.length);
      expect(received.map((m) => m.value.event).sort()).toEqual(kinds.map(([, name]) => name).sort());
      await sleep(300);
      expect(events.matching((event) => event.contactId === contact)).toHaveLength(kinds.length);
    });

    it("turns a routed reply (urlencoded and multipart) into email_replied with sentiment and a routing hint", async () => {
      const sender = `buyer-${randomUUID()}@example.com`;
      const fields = {
        ...mailgunSignature(),
        sender,
        from: `Buyer <${sender}>`,
        recipient: "reply@mg.example.com",
        subject: "Re: Spring offer",
        "stripped-text": "Great, thanks! I am interested, can we schedule a demo?",
        "Message-Id": `<${randomUUID()}@example.com>`,
        "In-Reply-To": "<20260101.1@mg.example.com>",
      };
      const url = `${platform.url}/callbacks/mailgun/inbound?workspace=${platform.workspaceId}`;
      const response = await fetch(url, { method: "POST", body: new URLSearchParams(fields) });
      expect(response.status).toBe(200);
      const [reply] = await events.waitFor(named(SystemEvents.EmailReplied, sender));
      expect(reply!.value.properties).toMatchObject({
        sentiment: "positive",
        routing_hint: "sales_follow_up",
        in_reply_to: "<20260101.1@mg.example.com>",
      });

      const angry = `angry-${randomUUID()}@example.com`;
      const form = new FormData();
      for (const [name, value] of Object.entries({
        ...fields,
        ...mailgunSignature(),
        sender: angry,
        "Message-Id": `<${randomUUID()}@x>`,
        "stripped-text": "This is terrible and broken. I am furious.",
      })) {
        form.append(name, value);
      }
      expect((await fetch(url, { method: "POST", body: form })).status).toBe(200);
      const [complaint] = await events.waitFor(named(SystemEvents.EmailReplied, angry));
      expect(complaint!.value.properties).toMatchObject({ sentiment: "negative", routing_hint: "escalate" });
      expect(Number(complaint!.value.properties?.sentiment_score)).toBeLessThan(0);
    });
  });

  describe("Twilio", () => {
    const post = async (path: string, params: Record<string, string>, signature?: string) => {
      const url = `${platform.url}${path}`;
      return fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature ?? twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params),
        },
        body: new URLSearchParams(params),
      });
    };

    it("records a signed delivery status with the StatusCallback's workspace, contact and key; refuses a forged one", async () => {
      const contact = `sms-${randomUUID()}`;
      const path = `/callbacks/twilio/status?workspace=${platform.workspaceId}&contact=${contact}&key=run-2:node-9`;
      const params = {
        MessageSid: `SM${randomUUID().replace(/-/g, "")}`,
        MessageStatus: "delivered",
        To: "+15550100",
        From: "+15550199",
      };
      expect((await post(path, params)).status).toBe(204);
      expect((await post(path, { ...params, MessageStatus: "undelivered", ErrorCode: "30003" }, "forged")).status).toBe(
        401,
      );
      const [delivered] = await events.waitFor(named(SystemEvents.SmsDelivered, contact));
      expect(delivered!.value.properties).toMatchObject({
        provider: "twilio",
        provider_message_id: params.MessageSid,
        idempotency_key: "run-2:node-9",
      });
      expect(events.matching(named(SystemEvents.SmsFailed, contact))).toHaveLength(0);
    });

    it("turns inbound STOP / START / HELP into opt-out, opt-in and help events, answering empty TwiML", async () => {
      const phone = `+1555${Math.floor(Math.random() * 1e7)}`;
      const path = `/callbacks/twilio/inbound?workspace=${platform.workspaceId}`;
      for (const body of ["STOP", "start", "HELP", "When are you open?"]) {
        const response = await post(path, {
          MessageSid: `SM${randomUUID().replace(/-/g, "")}`,
          From: phone,
          To: "+15550199",
          Body: body,
        });
        expect(response.status).toBe(200);
        expect(await response.text()).toContain("<Response>");
      }
      const received = await events.waitFor((event) => event.contactId === phone, 4);
      expect(received.map((m) => m.value.event).sort()).toEqual(
        [
          SystemEvents.SmsOptedOut,
          SystemEvents.SmsOptedIn,
          SystemEvents.SmsHelpRequested,
          SystemEvents.SmsReceived,
        ].sort(),
      );
    });
  });

  describe("social webhooks", () => {
    it("records signed mentions and shares with sentiment, and refuses forged ones", async () => {
      const author = randomUUID();
      const mention = JSON.stringify({
        type: "mention",
        network: "x",
        postId: `p-${author}`,
        text: "Love the new release, amazing work!",
        author: { id: author, handle: "@fan" },
      });
      const share = JSON.stringify({
        type: "share",
        network: "x",
        postId: `s-${author}`,
        sharedPostId: "brand-1",
        author: { id: author },
      });
      for (const body of [mention, share]) {
        const response = await fetch(`${platform.url}/callbacks/social?workspace=${platform.workspaceId}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${hex(SOCIAL_SECRET, body)}` },
          body,
        });
        expect(response.status).toBe(200);
      }
      const forged = await fetch(`${platform.url}/callbacks/social`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${hex("nope", mention)}` },
        body: mention,
      });
      expect(forged.status).toBe(401);
      const [mentioned] = await events.waitFor(named(SystemEvents.SocialMentioned, `x:${author}`));
      expect(mentioned!.value.properties).toMatchObject({ sentiment: "positive", author_handle: "@fan", network: "x" });
      await events.waitFor(named(SystemEvents.SocialShared, `x:${author}`));
    });
  });
});
