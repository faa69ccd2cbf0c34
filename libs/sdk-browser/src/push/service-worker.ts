/**
 * The Cascade push service worker, built to dist/sdk-browser/cascade-sw.js. Serve it from the site's origin
 * (e.g. /cascade-sw.js) and pass its URL to `cascade.push.init({ serviceWorkerUrl })`; a site that has its own
 * service worker can `importScripts("/cascade-sw.js")` from it instead.
 *
 * - `push`: shows the notification from channel-push's payload and reports `push_delivered` to ingest;
 * - `notificationclick`: focuses a window already at the target URL or opens it, and reports `push_clicked`
 *   (properties idempotency_key, url), which channel-push turns into an OPENED outcome;
 * - `pushsubscriptionchange`: subscribes again and registers the new subscription with channel-push.
 *
 * The write key, tracking host and visitor ids come from the page (WorkerSettings in Cache Storage), refreshed
 * on every page load of the push module.
 */
import { uuidV4, type JsonObject } from "../messages.js";
import {
  notificationOf,
  parseWorkerSettings,
  pushEventCall,
  PushEvents,
  subscriptionRegistration,
  WORKER_CACHE_NAME,
  WORKER_SETTINGS_PATH,
  type WorkerSettings,
} from "./push-notification.js";

// The service worker types live in TypeScript's WebWorker library, which cannot be combined with the DOM
// library the rest of the SDK uses; these are the parts used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  readonly data: { text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null;
  readonly newSubscription: PushSubscription | null;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
}
interface ServiceWorkerScope {
  readonly registration: ServiceWorkerRegistration;
  readonly location: Location;
  readonly clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "push", listener: (event: PushEvent) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEvent) => void): void;
  addEventListener(type: "pushsubscriptionchange", listener: (event: PushSubscriptionChangeEvent) => void): void;
}

const worker = self as unknown as ServiceWorkerScope;

/** Keeps the worker alive until `work` settles. A script-constructed event cannot be extended; its work still runs. */
function extend(event: ExtendableEvent, work: Promise<unknown>): void {
  try {
    event.waitUntil(work);
  } catch {
    // not a browser-dispatched event
  }
}

async function settings(): Promise<WorkerSettings | undefined> {
  try {
    const cache = await caches.open(WORKER_CACHE_NAME);
    const stored = await cache.match(new URL(WORKER_SETTINGS_PATH, worker.location.origin).href);
    return stored ? parseWorkerSettings(await stored.json()) : undefined;
  } catch {
    return undefined;
  }
}

/** Reports a push event to ingest; failures are swallowed (the notification matters more than the report). */
async function report(event: string, properties: JsonObject): Promise<void> {
  const current = await settings();
  if (!current) return;
  const call = pushEventCall(current, event, properties, { messageId: uuidV4(), timestamp: new Date() });
  try {
    await fetch(call.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: call.body,
      credentials: "omit",
    });
  } catch {
    // offline: the delivery or open is not reported
  }
}

async function openOrFocus(url: string): Promise<void> {
  const target = new URL(url, worker.registration.scope).href;
  const windows = await worker.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => client.url === target);
  if (open) await open.focus();
  else await worker.clients.openWindow(target);
}

worker.addEventListener("install", () => void worker.skipWaiting());
worker.addEventListener("activate", (event) => extend(event, worker.clients.claim()));

worker.addEventListener("push", (event) => {
  const notification = notificationOf(event.data?.text(), new URL(worker.registration.scope).host);
  const key = notification.options.data.key;
  extend(
    event,
    Promise.all([
      worker.registration.showNotification(notification.title, notification.options),
      key ? report(PushEvents.Delivered, { idempotency_key: key }) : undefined,
    ]),
  );
});

worker.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as { url?: string; key?: string };
  const url = data.url ?? worker.registration.scope;
  extend(
    event,
    Promise.allSettled([
      openOrFocus(url),
      data.key ? report(PushEvents.Clicked, { idempotency_key: data.key, url }) : undefined,
    ]),
  );
});

/** The push service replaced or expired the subscription: subscribe again with the same key and register it. */
worker.addEventListener("pushsubscriptionchange", (event) => {
  const renew = async (): Promise<void> => {
    const options = event.oldSubscription?.options;
    const subscription =
      event.newSubscription ??
      (options?.applicationServerKey
        ? await worker.registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: options.applicationServerKey,
          })
        : null);
    const current = await settings();
    if (!subscription || !current) return;
    await fetch(`${current.apiHost.replace(/\/+$/, "")}/api/push/subscriptions`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: subscriptionRegistration(current, subscription.toJSON()),
      credentials: "omit",
    });
  };
  extend(
    event,
    renew().catch(() => undefined),
  );
});
