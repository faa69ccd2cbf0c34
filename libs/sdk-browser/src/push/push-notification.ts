import type { JsonObject } from "../messages.js";
import { SDK_NAME, SDK_VERSION } from "../version.js";

/**
 * What channel-push puts in a push message (services/channel-push, SendPushUseCase.payloadOf): JSON with the
 * notification's title and body, the URL a click opens (carrying `cascade_push=<key>`, or channel-push's
 * click-tracking redirect), an icon, a tag (the request's topic) and `key`, the push message's idempotency key.
 */
export interface PushPayload {
  title: string;
  body: string;
  url?: string;
  icon?: string;
  tag?: string;
  key?: string;
}

/** The arguments of `registration.showNotification(title, options)`. */
export interface NotificationToShow {
  title: string;
  options: { body: string; icon?: string; tag?: string; data: { url?: string; key?: string } };
}

/**
 * The notification for a push message. A payload that is not channel-push's JSON (a test push from the
 * browser's developer tools, another sender) is shown as plain text under `fallbackTitle`: browsers require
 * every push to show a notification.
 */
export function notificationOf(text: string | undefined, fallbackTitle: string): NotificationToShow {
  let payload: Partial<PushPayload> | undefined;
  try {
    const value: unknown = text ? JSON.parse(text) : undefined;
    if (value && typeof value === "object" && !Array.isArray(value)) payload = value as Partial<PushPayload>;
  } catch {
    payload = undefined;
  }
  if (!payload) return { title: fallbackTitle, options: { body: text ?? "", data: {} } };
  const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
  const icon = str(payload.icon);
  const tag = str(payload.tag);
  return {
    title: str(payload.title) ?? fallbackTitle,
    options: {
      body: str(payload.body) ?? "",
      ...(icon ? { icon } : {}),
      ...(tag ? { tag } : {}),
      data: { url: str(payload.url), key: str(payload.key) },
    },
  };
}

/** What the page stores for its service worker (Cache Storage, see WORKER_SETTINGS_PATH). */
export interface WorkerSettings {
  writeKey: string;
  /** The tracking API (ingest) base URL. */
  host: string;
  /** channel-push's base URL (subscriptions API). */
  apiHost: string;
  /** This browser's device id in the subscriptions API. */
  deviceId: string;
  anonymousId: string;
  userId?: string;
}

/** Where the page keeps WorkerSettings for the service worker: cache CACHE_NAME, this path on the site's origin. */
export const WORKER_CACHE_NAME = "cascade-push";
export const WORKER_SETTINGS_PATH = "/__cascade/push-settings";

/** Names of the events the service worker reports (SystemEvents.PushDelivered / PushClicked in @cascade/contracts). */
export const PushEvents = {
  Delivered: "push_delivered",
  Clicked: "push_clicked",
} as const;

export function parseWorkerSettings(raw: unknown): WorkerSettings | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const value = raw as Partial<WorkerSettings>;
  const fields = [value.writeKey, value.host, value.apiHost, value.deviceId, value.anonymousId];
  if (!fields.every((field) => typeof field === "string" && field !== "")) return undefined;
  return {
    writeKey: value.writeKey as string,
    host: value.host as string,
    apiHost: value.apiHost as string,
    deviceId: value.deviceId as string,
    anonymousId: value.anonymousId as string,
    ...(typeof value.userId === "string" ? { userId: value.userId } : {}),
  };
}

/** The body of `POST <apiHost>/api/push/subscriptions` (text/plain JSON, write key in the body). */
export function subscriptionRegistration(settings: WorkerSettings, subscription: unknown): string {
  return JSON.stringify({
    writeKey: settings.writeKey,
    contactId: settings.userId ?? settings.anonymousId,
    deviceId: settings.deviceId,
    subscription,
  });
}

/**
 * A Segment track call (`POST <host>/v1/track`, text/plain JSON with the write key in the body: a CORS simple
 * request) reporting what happened to a push message, with the visitor's ids so that ingest keys it by the
 * same contact the subscription was registered for.
 */
export function pushEventCall(
  settings: WorkerSettings,
  event: string,
  properties: JsonObject,
  ids: { messageId: string; timestamp: Date },
): { url: string; body: string } {
  return {
    url: `${settings.host.replace(/\/+$/, "")}/v1/track`,
    body: JSON.stringify({
      writeKey: settings.writeKey,
      event,
      anonymousId: settings.anonymousId,
      ...(settings.userId ? { userId: settings.userId } : {}),
      messageId: ids.messageId,
      timestamp: ids.timestamp.toISOString(),
      // Sent at once: ingest's clock-skew correction then dates the event by its own clock, like page events.
      sentAt: ids.timestamp.toISOString(),
      properties,
      context: { library: { name: SDK_NAME, version: SDK_VERSION } },
    }),
  };
}
