import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import {
  create,
  EventSchema,
  EventType,
  MessageCategory,
  newEnvelope,
  OutcomeStatus,
  PushRequestSchema,
  PushUrgency,
  SystemEvents,
  timestampFromDate,
  Topics,
  type Event,
  type MessageInitShape,
  type PushRequest,
} from "@cascade/contracts";
import { ManualClock } from "@cascade/compliance";
import {
  basicAuth,
  postJson,
  startTestPlatform,
  uniqueName,
  type TestPlatform,
  OutcomeCollector,
} from "@cascade/testing";
import { createChannelPushService } from "../src/index.js";
import { LocalFcm } from "./local-fcm.js";
import { LocalPushService, type BrowserSubscription } from "./local-push-service.js";

// One platform for the whole suite: a platform start (Kafka group joins) costs seconds on this machine, so FCM runs
// here with a service-account key (the production path: JWT → token endpoint → FCM, all on 127.0.0.1); the static
// FCM_ACCESS_TOKEN path, which needs another configuration, is covered by src/sending/providers/fcm.provider.spec.ts.
describe("channel-push on the real broker and PostgreSQL, with a local push service that decrypts", () => {
  const pushService = new LocalPushService();
  const fcm = new LocalFcm();
  const outcomes = new OutcomeCollector();
  const vapid = webpush.generateVAPIDKeys();
  let platform: TestPlatform;

  beforeAll(async () => {
    await pushService.start();
    await fcm.start();
    platform = await startTestPlatform({
      services: [createChannelPushService({ clock: new ManualClock("2030-01-15T12:00:00Z") })],
      env: {
        PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        PUSH_VAPID_SUBJECT: "mailto:ops@cascade.test",
        PUSH_PUBLIC_URL: "https://push.cascade.test",
        PUSH_TRACKING_SECRET: "test-tracking-secret-0123456789",
        PUSH_DEFAULT_MAX_PER_DAY: "10",
        // No FCM_PROJECT_ID: the key's project_id is used.
        FCM_SERVICE_ACCOUNT_JSON: fcm.serviceAccountJson(),
        FCM_BASE_URL: fcm.url,
      },
    });
    await outcomes.start(platform.bus);
  });
  afterAll(async () => {
    await outcomes.close();
    await platform?.close();
    await pushService.close();
    await fcm.close();
  });

  const auth = (): Record<string, string> => ({ authorization: basicAuth(platform.workspace.writeKey) });
  const subscribe = async (
    contactId: string,
    subscription: BrowserSubscription,
    extra: Record<string, unknown> = {},
  ): Promise<void> => {
    const response = await postJson(
      `${platform.url}/api/push/subscriptions`,
      {
        contactId,
        deviceId: uniqueName("device"),
        subscription: { endpoint: subscription.endpoint, keys: subscription.keys },
        ...extra,
      },
      auth(),
    );
    expect(response.status).toBe(201);
  };
  const request = (fields: Omit<MessageInitShape<typeof PushRequestSchema>, "$typeName">): PushRequest =>
    create(PushRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: uniqueName("key"),
      runId: "run-1",
      nodeId: "push-1",
      category: MessageCategory.MARKETING,
      title: "Spring sale",
      body: "20% off today",
      url: "https://shop.example/sale",
      ...fields,
    });
  const send = (...requests: PushRequest[]): Promise<void> =>
    platform.bus.publish(
      Topics.ChannelPushRequestsV1,
      requests.map((value) => ({ value })),
    );

  it("serves the VAPID public key and validates the subscription API (write key, fields)", async () => {
    const key = (await (await fetch(`${platform.url}/api/push/vapid-public-key`)).json()) as { publicKey: string };
    expect(key.publicKey).toBe(vapid.publicKey);
    const subscription = pushService.subscribe();
    const body = { contactId: "c", subscription: { endpoint: subscription.endpoint, keys: subscription.keys } };
    expect((await postJson(`${platform.url}/api/push/subscriptions`, body)).status).toBe(401);
    const invalid = await postJson(
      `${platform.url}/api/push/subscriptions`,
      { contactId: "c", subscription: { endpoint: "not a url", keys: subscription.keys } },
      auth(),
    );
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toContain("subscription.endpoint");
  });

  it("encrypts with VAPID to every subscription; the push service decrypts title, body, tracked URL, TTL and urgency; sent once", async () => {
    const contactId = uniqueName("contact");
    const [laptop, phone] = [pushService.subscribe(), pushService.subscribe()];
    await subscribe(contactId, laptop);
    await subscribe(contactId, phone);
    const push = request({ contactId, ttlSeconds: 3600, urgency: PushUrgency.HIGH, topic: "spring-sale" });
    await send(push);
    const sent = await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.SENT);
    expect(sent).toMatchObject({ provider: "webpush", details: { delivered_to: 2, expired: 0, failed: 0 } });
    const [received] = pushService.receivedBy(laptop.endpoint);
    expect(received).toMatchObject({
      ttl: "3600",
      urgency: "high",
      topic: "spring-sale",
      vapidKey: vapid.publicKey,
      vapidValid: true,
    });
    const payload = JSON.parse(received?.payload ?? "{}") as { title: string; body: string; url: string; key: string };
    expect(payload).toMatchObject({ title: "Spring sale", body: "20% off today", key: push.idempotencyKey });
    expect(payload.url).toMatch(/^https:\/\/push\.cascade\.test\/api\/push\/click\?t=/);
    expect(pushService.receivedBy(phone.endpoint)).toHaveLength(1);

    await send(create(PushRequestSchema, { ...push, envelope: newEnvelope(platform.workspaceId) }));
    const marker = request({ contactId: uniqueName("nobody") });
    await send(marker);
    await outcomes.waitFor(marker.idempotencyKey, OutcomeStatus.SKIPPED);
    expect(pushService.receivedBy(laptop.endpoint)).toHaveLength(1);

    // The click goes through the tracking redirect: OPENED outcome, then the original URL with the landing
    // parameter the SDK attributes conversions by.
    const landing = `https://shop.example/sale?cascade_push=${encodeURIComponent(push.idempotencyKey)}`;
    const click = await fetch(payload.url.replace("https://push.cascade.test", platform.url), { redirect: "manual" });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toBe(landing);
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.OPENED)).details).toMatchObject({
      url: landing,
      via: "click_redirect",
    });
  });

  it("removes a subscription the push service answers 410 for and reports it as UNSUBSCRIBED (uninstall)", async () => {
    const contactId = uniqueName("contact");
    const [gone, alive] = [pushService.subscribe(), pushService.subscribe()];
    await subscribe(contactId, gone);
    await subscribe(contactId, alive);
    pushService.gone.add(gone.endpoint);
    const push = request({ contactId });
    await send(push);
    const unsubscribed = await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.UNSUBSCRIBED);
    expect(unsubscribed).toMatchObject({ reason: "subscription_expired", details: { http_status: 410 } });
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.SENT)).details).toMatchObject({
      delivered_to: 1,
      expired: 1,
    });
    const rows = (await platform.database.dataSource.query(
      `SELECT address FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND contact_id = $2`,
      [platform.workspaceId, contactId],
    )) as Array<{ address: string }>;
    expect(rows.map((row) => row.address)).toEqual([alive.endpoint]);

    pushService.gone.add(alive.endpoint);
    const last = request({ contactId });
    await send(last);
    expect((await outcomes.waitFor(last.idempotencyKey, OutcomeStatus.FAILED)).reason).toBe(
      "all_subscriptions_expired",
    );
    const next = request({ contactId });
    await send(next);
    expect((await outcomes.waitFor(next.idempotencyKey, OutcomeStatus.SKIPPED)).reason).toBe("no_subscription");
  });

  it("fails an oversized payload before sending, with the size and the limit", async () => {
    const contactId = uniqueName("contact");
    const browser = pushService.subscribe();
    await subscribe(contactId, browser);
    const push = request({ contactId, body: "x".repeat(5000) });
    await send(push);
    const failed = await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.FAILED);
    expect(failed).toMatchObject({ reason: "payload_too_large", details: { limit: 3993 } });
    expect(pushService.receivedBy(browser.endpoint)).toHaveLength(0);
  });

  it("honours the contact's frequency preference for marketing but not for transactional pushes", async () => {
    const contactId = uniqueName("contact");
    const browser = pushService.subscribe();
    await subscribe(contactId, browser, { maxPerDay: 1 });
    const [first, second] = [request({ contactId, workflowId: "wf-a" }), request({ contactId, workflowId: "wf-b" })];
    await send(first, second);
    await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.SENT);
    expect(await outcomes.waitFor(second.idempotencyKey, OutcomeStatus.SKIPPED)).toMatchObject({
      reason: "frequency_cap",
      details: { max: 1 },
    });
    const receipt = request({ contactId, category: MessageCategory.TRANSACTIONAL, title: "Order shipped" });
    await send(receipt);
    await outcomes.waitFor(receipt.idempotencyKey, OutcomeStatus.SENT);
    expect(pushService.receivedBy(browser.endpoint)).toHaveLength(2);
  });

  it("sends through FCM HTTP v1 with a service-account token and drops an UNREGISTERED token; a PushClicked event becomes OPENED", async () => {
    const contactId = uniqueName("contact");
    fcm.known.add("token-live");
    for (const fcmToken of ["token-live", "token-dead"]) {
      expect(
        (await postJson(`${platform.url}/api/push/subscriptions`, { contactId, deviceId: fcmToken, fcmToken }, auth()))
          .status,
      ).toBe(201);
    }
    const push = request({ contactId, ttlSeconds: 600 });
    await send(push);
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.SENT)).provider).toBe("fcm");
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.UNSUBSCRIBED)).details).toMatchObject({
      device_id: "token-dead",
    });
    expect(fcm.received).toEqual([{ token: "token-live", title: "Spring sale", ttl: "600" }]);
    // Both sends waited for one token, obtained with a JWT the token endpoint verified (signature and claims).
    expect(fcm.tokenRequests).toEqual([
      {
        claims: expect.objectContaining({
          iss: fcm.clientEmail,
          scope: "https://www.googleapis.com/auth/firebase.messaging",
          aud: `${fcm.url}/token`,
        }) as unknown,
      },
    ]);

    await platform.bus.publish(Topics.EventsV1, [
      {
        value: create(EventSchema, {
          envelope: newEnvelope(platform.workspaceId),
          type: EventType.TRACK,
          event: SystemEvents.PushClicked,
          contactId,
          properties: { idempotency_key: push.idempotencyKey, url: "https://shop.example/sale" },
        }),
      },
    ]);
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.OPENED)).details).toMatchObject({
      via: "service_worker",
    });
  });

  it("gets a new FCM access token when the cached one is refused (401) and sends once; a token endpoint outage is retried", async () => {
    const contactId = uniqueName("contact");
    const fcmToken = uniqueName("fcm-token");
    fcm.known.add(fcmToken);
    const subscribed = await postJson(
      `${platform.url}/api/push/subscriptions`,
      { contactId, deviceId: "phone", fcmToken },
      auth(),
    );
    expect(subscribed.status).toBe(201);
    const receipt = (): PushRequest => request({ contactId, category: MessageCategory.TRANSACTIONAL });
    const deliveredTo = (): number => fcm.received.filter((push) => push.token === fcmToken).length;
    const first = receipt();
    await send(first);
    await outcomes.waitFor(first.idempotencyKey, OutcomeStatus.SENT); // the service now holds a token

    fcm.revokeTokens();
    const [tokensBefore, unauthorizedBefore] = [fcm.tokenRequests.length, fcm.unauthorized];
    const second = receipt();
    await send(second);
    await outcomes.waitFor(second.idempotencyKey, OutcomeStatus.SENT);
    expect(fcm.unauthorized - unauthorizedBefore).toBe(1);
    expect(fcm.tokenRequests.slice(tokensBefore)).toEqual([{ claims: expect.objectContaining({}) as unknown }]);
    expect(deliveredTo()).toBe(2);

    // The token endpoint is down when the next token is needed: the send is rejected as retryable
    // (fcm_auth_failed), the bus retries the request, and it goes out once, when the endpoint answers again.
    fcm.revokeTokens();
    fcm.failTokenRequests = 1;
    const tokensBeforeOutage = fcm.tokenRequests.length;
    const third = receipt();
    await send(third);
    await outcomes.waitFor(third.idempotencyKey, OutcomeStatus.SENT);
    expect(fcm.tokenRequests.slice(tokensBeforeOutage)).toEqual([
      { refused: "unavailable" },
      { claims: expect.objectContaining({ iss: fcm.clientEmail }) as unknown },
    ]);
    expect(deliveredTo()).toBe(3);
    expect(outcomes.forKey(third.idempotencyKey).map((outcome) => outcome.status)).toEqual([OutcomeStatus.SENT]);
  });

  it("takes subscriptions from browsers cross-origin: text/plain with the write key in the body, CORS answered", async () => {
    const origin = "http://shop.example:8080";
    const preflight = await fetch(`${platform.url}/api/push/subscriptions`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");

    const contactId = uniqueName("visitor");
    const browser = pushService.subscribe();
    const body = {
      contactId,
      deviceId: "laptop",
      subscription: { endpoint: browser.endpoint, keys: browser.keys },
    };
    const send = (payload: unknown) =>
      fetch(`${platform.url}/api/push/subscriptions`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin },
        body: typeof payload === "string" ? payload : JSON.stringify(payload),
      });
    expect((await send(body)).status).toBe(401);
    expect((await send({ ...body, writeKey: "wk_wrong" })).status).toBe(401);
    const malformed = await send("{not json");
    expect(malformed.status).toBe(400);
    const created = await send({ ...body, writeKey: platform.workspace.writeKey });
    expect(created.status).toBe(201);
    expect(created.headers.get("access-control-allow-origin")).toBe(origin);
    expect(await created.json()).toMatchObject({ contactId, deviceId: "laptop" });
    const key = await fetch(`${platform.url}/api/push/vapid-public-key`, { headers: { origin } });
    expect(key.headers.get("access-control-allow-origin")).toBe(origin);
  });

  it("turns the service worker's reports into DELIVERED and OPENED once per push, and conversions into CONVERTED", async () => {
    const contactId = uniqueName("visitor");
    const browser = pushService.subscribe();
    await subscribe(contactId, browser);
    const push = request({ contactId });
    await send(push);
    await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.SENT);
    const sentAt = new Date("2030-01-15T12:00:00Z"); // the service's clock
    const minutes = (n: number): Date => new Date(sentAt.getTime() + n * 60_000);
    const event = (
      name: string,
      at: Date,
      fields: Omit<MessageInitShape<typeof EventSchema>, "$typeName"> = {},
    ): Event =>
      create(EventSchema, {
        envelope: newEnvelope(platform.workspaceId, at),
        type: EventType.TRACK,
        event: name,
        contactId,
        anonymousId: contactId,
        timestamp: timestampFromDate(at),
        ...fields,
      });
    const key = { idempotency_key: push.idempotencyKey };
    await platform.bus.publish(
      Topics.EventsV1,
      [
        event(SystemEvents.PushDelivered, minutes(1), { properties: key }),
        event(SystemEvents.PushDelivered, minutes(1), { properties: key }), // a second device
        event(SystemEvents.PushClicked, minutes(2), { properties: { ...key, url: "https://shop.example/sale" } }),
        event(SystemEvents.PushClicked, minutes(3), { properties: key }),
        event(SystemEvents.PushClicked, minutes(3), { properties: { idempotency_key: "never-sent" } }),
        event("Product Viewed", minutes(4)),
        event("Order Completed", minutes(30), { messageId: "order-1", properties: { revenue: 99 } }),
        event("Order Completed", minutes(40), { messageId: "order-2" }),
      ].map((value) => ({ value })),
    );
    const converted = await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.CONVERTED);
    expect(converted).toMatchObject({
      contactId,
      runId: "run-1",
      nodeId: "push-1",
      reason: "Order Completed",
      details: { event: "Order Completed", event_message_id: "order-1", via: "contact", value: 99, window_hours: 24 },
    });
    expect(converted.details?.opened_at).toBe(minutes(2).toISOString());
    const byStatus = (status: OutcomeStatus) =>
      outcomes.forKey(push.idempotencyKey).filter((outcome) => outcome.status === status);
    expect(byStatus(OutcomeStatus.DELIVERED)).toHaveLength(1);
    expect(byStatus(OutcomeStatus.OPENED)).toHaveLength(1);
    expect(byStatus(OutcomeStatus.OPENED)[0]?.details).toMatchObject({
      via: "service_worker",
      url: "https://shop.example/sale",
    });
    expect(outcomes.forKey("never-sent")).toEqual([]);

    // A second order within the window does not convert the push again (checked after a later marker).
    const marker = request({ contactId: uniqueName("nobody") });
    await send(marker);
    await outcomes.waitFor(marker.idempotencyKey, OutcomeStatus.SKIPPED);
    expect(byStatus(OutcomeStatus.CONVERTED)).toHaveLength(1);
  });

  it("credits a conversion to the push the visitor landed from, even under another id, only within the window", async () => {
    const contactId = uniqueName("anon");
    const browser = pushService.subscribe();
    await subscribe(contactId, browser);
    const [landed, late] = [request({ contactId }), request({ contactId })];
    await send(landed, late);
    await outcomes.waitFor(landed.idempotencyKey, OutcomeStatus.SENT);
    await outcomes.waitFor(late.idempotencyKey, OutcomeStatus.SENT);
    const sentAt = new Date("2030-01-15T12:00:00Z");
    const hours = (n: number): Date => new Date(sentAt.getTime() + n * 3_600_000);
    const order = (pushKey: string, at: Date, messageId: string): Event =>
      create(EventSchema, {
        envelope: newEnvelope(platform.workspaceId, at),
        type: EventType.TRACK,
        event: "Order Completed",
        // the visitor logged in after landing: a different contact id than the push's
        contactId: "user-after-login",
        userId: "user-after-login",
        anonymousId: uniqueName("other-browser"),
        messageId,
        timestamp: timestampFromDate(at),
        context: { push: { message_id: pushKey } },
      });
    await platform.bus.publish(Topics.EventsV1, [
      { value: order(late.idempotencyKey, hours(25), "too-late") },
      { value: order(landed.idempotencyKey, hours(2), "in-window") },
    ]);
    const converted = await outcomes.waitFor(landed.idempotencyKey, OutcomeStatus.CONVERTED);
    expect(converted).toMatchObject({
      contactId,
      details: { via: "landing_parameter", event_message_id: "in-window" },
    });
    // Both orders are on one partition (same contact key), so the late one was handled first.
    expect(outcomes.forKey(late.idempotencyKey).map((outcome) => outcome.status)).toEqual([OutcomeStatus.SENT]);
  });
});
