import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { launchChromium } from "./chromium.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import webpush from "web-push";
import {
  create,
  EventType,
  MessageCategory,
  newEnvelope,
  OutcomeStatus,
  PushRequestSchema,
  SystemEvents,
  Topics,
  type Event,
} from "@cascade/contracts";
import type { Delivered, Subscription } from "@cascade/bus";
import { createChannelPushService } from "@cascade/services/channel-push";
import { ingestService } from "@cascade/services/ingest";
import { eventually, OutcomeCollector, startTestPlatform, uniqueName, type TestPlatform } from "@cascade/testing";

/**
 * Web push of the browser SDK in headless Chromium against ingest and channel-push on the real Kafka broker:
 * the gradual permission prompt, the service worker, the subscription registered with channel-push, a push
 * sent by channel-push (VAPID, aes128gcm) shown by the service worker, its delivery and open reported to
 * ingest as events and turned into outcomes, and a conversion on the landing page.
 *
 * What headless Chromium cannot do here, and what the test does instead:
 * - `pushManager.subscribe` needs the browser vendor's push service (FCM for Chromium; no network here). An init
 *   script replaces PushManager's subscribe / getSubscription with a subscription whose endpoint is a local push
 *   service in this test (LocalPushEndpoint) holding the subscription's private key. Everything else is real:
 *   the SDK registers that subscription with channel-push, which encrypts to it and posts to the endpoint.
 * - The push service cannot wake the browser, so the test decrypts what channel-push sent and hands the plaintext
 *   to the service worker with the DevTools protocol (`ServiceWorker.deliverPushMessage`), as the browser does
 *   after decrypting.
 * - Headless Chromium has no notification UI to click. The test dispatches a `notificationclick` in the service
 *   worker for the notification it shows; the browser refuses `clients.openWindow` for such a script-made event
 *   (no user activation), so the test then opens the notification's URL itself.
 */
const root = fileURLToPath(new URL("../../../", import.meta.url));
const artifacts = `${root}test-artifacts/push-sdk`;
/** A visit ends after 1 s without activity here (30 minutes by default), so the test can make new visits. */
const PUSH_OPTIONS = {
  serviceWorkerUrl: "/cascade-sw.js",
  minEngagedVisits: 2,
  minEngagedMs: 60_000,
  visitTimeoutMs: 1_000,
};
const VISIT_GAP_MS = 1_300;

interface SdkBuild {
  buildSdk(options: { write: false }): Promise<Record<"iife" | "pushIife" | "serviceWorker", { code?: string }>>;
}

interface PushStatus {
  permission: string;
  pageViews: number;
  engagedVisits: number;
  pageViewEngaged: boolean;
  decision: { kind: string; reason?: string };
  endpoint?: string;
}

describe("web push in the browser SDK: headless Chromium → ingest + channel-push → events.v1 and outcomes.v1", () => {
  const pushEndpoint = new LocalPushEndpoint();
  const outcomes = new OutcomeCollector();
  const vapid = webpush.generateVAPIDKeys();
  const received: Event[] = [];
  let platform: TestPlatform;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let events: Subscription;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const { buildSdk } = (await import(pathToFileURL(`${root}libs/sdk-browser/build.mjs`).href)) as SdkBuild;
    await pushEndpoint.start();
    const [built, started] = await Promise.all([
      buildSdk({ write: false }),
      startTestPlatform({
        services: [ingestService, createChannelPushService()],
        mode: "kafka",
        env: { PUSH_VAPID_PUBLIC_KEY: vapid.publicKey, PUSH_VAPID_PRIVATE_KEY: vapid.privateKey },
      }),
    ]);
    platform = started;
    const scripts: Record<string, string> = {
      "/cascade.min.js": built.iife.code ?? "",
      "/cascade-push.min.js": built.pushIife.code ?? "",
      "/cascade-sw.js": built.serviceWorker.code ?? "",
    };
    site = createServer((request, response) => {
      const path = new URL(request.url ?? "/", "http://site").pathname;
      const script = scripts[path];
      if (script) return void response.writeHead(200, { "content-type": "text/javascript" }).end(script);
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(pageHtml(path, platform.url, platform.workspace.writeKey));
    });
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    events = await platform.bus.subscribe({
      group: uniqueName("push-sdk-test"),
      topic: Topics.EventsV1,
      handler: async (message: Delivered<Event>) => void received.push(message.value),
    });
    await outcomes.start(platform.bus);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await events?.close();
    await outcomes.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await platform?.close();
    await pushEndpoint.close();
  });

  /**
   * A fresh browser profile with notification permission "default" (as for a first-time visitor), the
   * substituted PushManager, and a record of every Notification.requestPermission call; answering the browser
   * prompt grants the permission (the visitor clicks "Allow").
   */
  const newVisitor = async (): Promise<{
    context: BrowserContext;
    page: Page;
    permissionRequests: string[];
    subscription: BrowserSubscription;
    errors: string[];
  }> => {
    const context = await browser.newContext();
    const permissionRequests: string[] = [];
    const subscription = pushEndpoint.subscribe();
    await context.exposeBinding("testPermissionRequested", ({ page }) => void permissionRequests.push(page.url()));
    await context.exposeBinding("testGrantNotifications", () =>
      context.grantPermissions(["notifications"], { origin: siteUrl }),
    );
    await context.addInitScript(
      (fake: { endpoint: string; keys: { p256dh: string; auth: string } }) => {
        const testWindow = window as unknown as {
          testPermissionRequested(): Promise<void>;
          testGrantNotifications(): Promise<void>;
        };
        const requestPermission = Notification.requestPermission.bind(Notification);
        Notification.requestPermission = (async () => {
          await testWindow.testPermissionRequested();
          await testWindow.testGrantNotifications();
          return requestPermission();
        }) as typeof Notification.requestPermission;
        // No push service in headless Chromium: a subscription at the test's local push endpoint instead.
        const made = (): PushSubscription =>
          ({
            endpoint: fake.endpoint,
            expirationTime: null,
            options: { userVisibleOnly: true, applicationServerKey: null },
            getKey: () => null,
            toJSON: () => ({ endpoint: fake.endpoint, expirationTime: null, keys: fake.keys }),
            unsubscribe: async () => true,
          }) as unknown as PushSubscription;
        PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
          const key = options?.applicationServerKey as Uint8Array;
          localStorage.setItem("test.applicationServerKey", btoa(String.fromCharCode(...new Uint8Array(key))));
          return made();
        };
        PushManager.prototype.getSubscription = async function () {
          return localStorage.getItem("test.applicationServerKey") ? made() : null;
        };
      },
      { endpoint: subscription.endpoint, keys: subscription.keys },
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    return { context, page, permissionRequests, subscription, errors };
  };

  const status = (page: Page): Promise<PushStatus> =>
    page.evaluate(() => (window as unknown as { cascade: { push: { status(): PushStatus } } }).cascade.push.status());
  const anonymousIdOf = (page: Page): Promise<string> =>
    page.evaluate(
      () => (window as unknown as { cascade: { user(): { anonymousId: string } } }).cascade.user().anonymousId,
    );
  /** An engaged page view: load, then interact (a click on the heading). */
  const engagedView = async (page: Page, path: string): Promise<void> => {
    await page.goto(`${siteUrl}${path}`);
    await page.click("h1");
  };
  const softPromptShown = (page: Page): Promise<boolean> => page.isVisible("#push-soft-prompt");
  const trackEvent = (anonymousId: string, name: string) => (event: Event) =>
    event.anonymousId === anonymousId && event.type === EventType.TRACK && event.event === name;
  const arrived = (match: (event: Event) => boolean): Promise<Event> =>
    eventually(async () => received.find(match), 20_000);

  it("never asks on the first page view, asks after 2 engaged visits, subscribes through the service worker, and tracks delivery, open and conversion", async () => {
    const { context, page, permissionRequests, subscription, errors } = await newVisitor();

    // Visit 1: the first page view, engaged: no prompt.
    await engagedView(page, "/pricing");
    expect(await status(page)).toMatchObject({
      pageViews: 1,
      engagedVisits: 1,
      decision: { kind: "wait", reason: "first_page_view" },
    });
    // Same visit, second engaged page view: still one engaged visit.
    await engagedView(page, "/features");
    expect(await status(page)).toMatchObject({
      pageViews: 2,
      engagedVisits: 1,
      decision: { kind: "wait", reason: "not_enough_engaged_visits" },
    });
    expect(await softPromptShown(page)).toBe(false);
    expect(permissionRequests).toEqual([]);

    // Visit 2: nothing on load; the prompt comes once the page view is engaged.
    await page.waitForTimeout(VISIT_GAP_MS);
    await page.goto(`${siteUrl}/pricing`);
    await page.waitForTimeout(300);
    expect(await softPromptShown(page)).toBe(false);
    expect(await status(page)).toMatchObject({ engagedVisits: 1, decision: { kind: "wait", reason: "not_engaged" } });
    expect(permissionRequests).toEqual([]);
    await page.click("h1");
    await page.waitForSelector("#push-soft-prompt", { state: "visible" });
    expect(permissionRequests).toEqual([]); // the site's soft prompt comes first
    await page.screenshot({ path: `${artifacts}/soft-prompt.png` });
    await page.click("#allow-push");
    await eventually(async () => (permissionRequests.length === 1 ? true : undefined));

    // Granted: the service worker registers, the subscription is made with the VAPID key and registered.
    const anonymousId = await anonymousIdOf(page);
    await eventually(async () => ((await status(page)).endpoint === subscription.endpoint ? true : undefined), 20_000);
    expect(await status(page)).toMatchObject({ permission: "granted", decision: { kind: "subscribe" } });
    expect(context.serviceWorkers().map((worker) => worker.url())).toEqual([`${siteUrl}/cascade-sw.js`]);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)).toBe(
      `${siteUrl}/cascade-sw.js`,
    );
    const usedKey = await page.evaluate(() => localStorage.getItem("test.applicationServerKey"));
    expect(Buffer.from(usedKey ?? "", "base64").toString("base64url")).toBe(vapid.publicKey);
    const rows = (await platform.database.dataSource.query(
      `SELECT contact_id, kind, p256dh FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND address = $2`,
      [platform.workspaceId, subscription.endpoint],
    )) as Array<{ contact_id: string; kind: string; p256dh: string }>;
    expect(rows).toEqual([{ contact_id: anonymousId, kind: "webpush", p256dh: subscription.keys.p256dh }]);
    expect(await arrived(trackEvent(anonymousId, "Push Permission Answered"))).toMatchObject({
      properties: { permission: "granted" },
    });
    await arrived(trackEvent(anonymousId, "Push Subscribed"));

    // channel-push sends a push to the contact; the local push service decrypts it.
    const push = create(PushRequestSchema, {
      envelope: newEnvelope(platform.workspaceId),
      idempotencyKey: uniqueName("push"),
      runId: "run-1",
      nodeId: "push-node",
      contactId: anonymousId,
      category: MessageCategory.MARKETING,
      title: "Spring sale",
      body: "20% off today",
      url: `${siteUrl}/sale`,
    });
    await platform.bus.publish(Topics.ChannelPushRequestsV1, [{ value: push }]);
    await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.SENT);
    const plaintext = await eventually(async () => pushEndpoint.receivedBy(subscription.endpoint)[0]);
    const landingUrl = `${siteUrl}/sale?cascade_push=${encodeURIComponent(push.idempotencyKey)}`;
    expect(JSON.parse(plaintext)).toMatchObject({ title: "Spring sale", url: landingUrl, key: push.idempotencyKey });

    // The browser receives it: DevTools delivers the push to the service worker, which shows it.
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (update) => registrations.push(...update.registrations));
    await cdp.send("ServiceWorker.enable");
    const registration = await eventually(async () =>
      registrations.find((entry) => entry.scopeURL === `${siteUrl}/` && !entry.isDeleted),
    );
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: siteUrl,
      registrationId: registration.registrationId,
      data: plaintext,
    });
    const shown = await eventually(async () => {
      const notifications = await page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((notification) => ({
          title: notification.title,
          body: notification.body,
          data: notification.data as unknown,
        })),
      );
      return notifications[0];
    });
    expect(shown).toEqual({
      title: "Spring sale",
      body: "20% off today",
      data: { url: landingUrl, key: push.idempotencyKey },
    });
    expect((await arrived(trackEvent(anonymousId, SystemEvents.PushDelivered))).properties).toMatchObject({
      idempotency_key: push.idempotencyKey,
    });
    expect((await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.DELIVERED)).details).toMatchObject({
      via: "service_worker",
    });

    // The visitor clicks the notification (dispatched in the worker: there is no notification UI to click).
    const [worker] = context.serviceWorkers();
    if (!worker) throw new Error("the service worker is not running");
    await worker.evaluate(async () => {
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        NotificationEvent: new (type: string, init: { notification: Notification }) => globalThis.Event;
      };
      const [notification] = await scope.registration.getNotifications();
      if (!notification) throw new Error("no notification shown");
      self.dispatchEvent(new scope.NotificationEvent("notificationclick", { notification }));
    });
    const clicked = await arrived(trackEvent(anonymousId, SystemEvents.PushClicked));
    expect(clicked.contactId).toBe(anonymousId);
    expect(clicked.properties).toMatchObject({ idempotency_key: push.idempotencyKey, url: landingUrl });
    expect(await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.OPENED)).toMatchObject({
      contactId: anonymousId,
      runId: "run-1",
      nodeId: "push-node",
      details: { via: "service_worker", url: landingUrl },
    });
    expect(
      await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length),
    ).toBe(0);

    // The notification's page: the SDK keeps the push it came from and a purchase there converts it.
    await page.goto(landingUrl);
    const orderId = await page.evaluate(() =>
      (window as unknown as { cascade: { track(event: string, properties: object): string } }).cascade.track(
        "Order Completed",
        { revenue: 30 },
      ),
    );
    const order = await arrived((event) => event.messageId === orderId);
    expect(order.context?.push).toMatchObject({ message_id: push.idempotencyKey });
    expect(await outcomes.waitFor(push.idempotencyKey, OutcomeStatus.CONVERTED)).toMatchObject({
      contactId: anonymousId,
      reason: "Order Completed",
      details: { via: "landing_parameter", event_message_id: orderId, value: 30 },
    });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("remembers 'not now' in the soft prompt: the browser prompt is never requested and the site does not ask again", async () => {
    const { context, page, permissionRequests, errors } = await newVisitor();
    await engagedView(page, "/pricing");
    await page.waitForTimeout(VISIT_GAP_MS);
    await engagedView(page, "/features");
    await page.waitForSelector("#push-soft-prompt", { state: "visible" });
    await page.click("#not-now");
    expect(await status(page)).toMatchObject({
      permission: "default",
      decision: { kind: "never", reason: "declined" },
    });

    await page.waitForTimeout(VISIT_GAP_MS);
    await engagedView(page, "/pricing");
    await page.waitForTimeout(300);
    expect(await softPromptShown(page)).toBe(false);
    expect(await status(page)).toMatchObject({ engagedVisits: 3, decision: { kind: "never", reason: "declined" } });
    expect(permissionRequests).toEqual([]);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    const anonymousId = await anonymousIdOf(page);
    expect(await arrived(trackEvent(anonymousId, "Push Permission Answered"))).toMatchObject({
      properties: { permission: "default", answer: "declined" },
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** The test site's pages: the tracking SDK, the push module with the site's soft prompt. */
function pageHtml(path: string, apiUrl: string, writeKey: string): string {
  const title = path.slice(1) || "Home";
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<script src="/cascade.min.js"></script><script src="/cascade-push.min.js"></script>
<script>
cascade.init(${JSON.stringify({ writeKey, host: apiUrl, flushIntervalMs: 200 })});
cascade.push.init(Object.assign(${JSON.stringify(PUSH_OPTIONS)}, {
  softPrompt: () => new Promise((resolve) => {
    const box = document.getElementById("push-soft-prompt");
    box.hidden = false;
    document.getElementById("allow-push").onclick = () => { box.hidden = true; resolve(true); };
    document.getElementById("not-now").onclick = () => { box.hidden = true; resolve(false); };
  }),
}));
</script></head><body><h1>${title}</h1>
<div id="push-soft-prompt" hidden><p>Get our deals as notifications?</p>
<button id="allow-push">Yes please</button><button id="not-now">Not now</button></div></body></html>`;
}

interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  authSecret: Buffer;
}

/**
 * A local push service on 127.0.0.1 (RFC 8030) standing in for the browser vendor's: it holds each
 * subscription's private key and auth secret, as the browser would, and decrypts what channel-push posts
 * (aes128gcm, RFC 8188 / RFC 8291). (channel-push's own tests have a fuller one that also checks VAPID.)
 */
class LocalPushEndpoint {
  private readonly subscriptions = new Map<string, BrowserSubscription>();
  private readonly received: Array<{ endpoint: string; payload: string }> = [];
  private server: Server | undefined;

  private get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const subscription = this.subscriptions.get(request.url ?? "");
      if (request.method !== "POST" || !subscription) return void response.writeHead(404).end();
      try {
        this.received.push({ endpoint: subscription.endpoint, payload: decrypt(Buffer.concat(chunks), subscription) });
      } catch {
        return void response.writeHead(400).end();
      }
      response.writeHead(201, { location: `${subscription.endpoint}/messages/${this.received.length}` }).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  subscribe(): BrowserSubscription {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const path = `/push/${randomBytes(12).toString("hex")}`;
    const subscription = {
      endpoint: `${this.url}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: authSecret.toString("base64url") },
      ecdh,
      authSecret,
    };
    this.subscriptions.set(path, subscription);
    return subscription;
  }

  receivedBy(endpoint: string): string[] {
    return this.received.filter((push) => push.endpoint === endpoint).map((push) => push.payload);
  }
}

/** RFC 8291 §3.4: the content key and nonce from the ECDH secret and auth secret; one record, padding stripped. */
function decrypt(body: Buffer, subscription: BrowserSubscription): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const secret = subscription.ecdh.computeSecret(senderKey);
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), subscription.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync("sha256", secret, subscription.authSecret, info, 32));
  const key = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", key, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("aes128gcm: no 0x02 padding delimiter in the last record");
  return padded.subarray(0, end).toString("utf8");
}
