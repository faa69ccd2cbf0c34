import { describe, expect, it } from "vitest";
import { activeLanding, landingContext, landingFrom, parseLanding } from "./landing-attribution.js";
import {
  notificationOf,
  parseWorkerSettings,
  pushEventCall,
  subscriptionRegistration,
  type WorkerSettings,
} from "./push-notification.js";
import { applicationServerKey, sameKey } from "./vapid-key.js";

const HOUR = 3_600_000;
const settings: WorkerSettings = {
  writeKey: "wk_1",
  host: "https://cascade.example/",
  apiHost: "https://push.cascade.example",
  deviceId: "device-1",
  anonymousId: "anon-1",
};

describe("landing attribution", () => {
  it("keeps the push message id from the landing URL for the attribution window", () => {
    const landed = landingFrom("?utm_source=x&cascade_push=run-1%3Apush-1", "cascade_push", 1_000);
    expect(landed).toEqual({ messageId: "run-1:push-1", landedAt: 1_000 });
    expect(parseLanding(JSON.stringify(landed))).toEqual(landed);
    expect(landingContext(activeLanding(landed, 1_000 + 23 * HOUR, 24 * HOUR))).toEqual({
      push: { message_id: "run-1:push-1", landed_at: "1970-01-01T00:00:01.000Z" },
    });
    expect(activeLanding(landed, 1_000 + 25 * HOUR, 24 * HOUR)).toBeUndefined();
    expect(landingContext(undefined)).toBeUndefined();
  });

  it("ignores URLs without the parameter, empty or oversized values", () => {
    expect(landingFrom("?utm_source=x", "cascade_push", 0)).toBeUndefined();
    expect(landingFrom("?cascade_push=", "cascade_push", 0)).toBeUndefined();
    expect(landingFrom(`?cascade_push=${"x".repeat(300)}`, "cascade_push", 0)).toBeUndefined();
    expect(parseLanding("nonsense")).toBeUndefined();
  });
});

describe("service worker payload handling", () => {
  it("shows channel-push's payload with the click URL and message key as notification data", () => {
    const payload = JSON.stringify({
      title: "Spring sale",
      body: "20% off",
      url: "https://shop.example/sale?cascade_push=k1",
      icon: "https://shop.example/i.png",
      tag: "sale",
      key: "k1",
    });
    expect(notificationOf(payload, "shop.example")).toEqual({
      title: "Spring sale",
      options: {
        body: "20% off",
        icon: "https://shop.example/i.png",
        tag: "sale",
        data: { url: "https://shop.example/sale?cascade_push=k1", key: "k1" },
      },
    });
  });

  it("shows any other push as text under the site's name (browsers require a notification)", () => {
    expect(notificationOf("Test push from DevTools", "shop.example")).toEqual({
      title: "shop.example",
      options: { body: "Test push from DevTools", data: {} },
    });
    expect(notificationOf(undefined, "shop.example").title).toBe("shop.example");
    expect(notificationOf(JSON.stringify({ body: "no title" }), "shop.example").title).toBe("shop.example");
  });

  it("reports push events as Segment track calls with the visitor's ids and the write key in the body", () => {
    const call = pushEventCall(
      { ...settings, userId: "user-9" },
      "push_clicked",
      { idempotency_key: "k1", url: "https://shop.example/sale" },
      { messageId: "m-1", timestamp: new Date("2030-01-01T00:00:00Z") },
    );
    expect(call.url).toBe("https://cascade.example/v1/track");
    expect(JSON.parse(call.body)).toMatchObject({
      writeKey: "wk_1",
      event: "push_clicked",
      anonymousId: "anon-1",
      userId: "user-9",
      messageId: "m-1",
      timestamp: "2030-01-01T00:00:00.000Z",
      properties: { idempotency_key: "k1", url: "https://shop.example/sale" },
    });
  });

  it("registers subscriptions under the user id when known, else the anonymous id", () => {
    const subscription = { endpoint: "https://push.example/1", keys: { p256dh: "p", auth: "a" } };
    expect(JSON.parse(subscriptionRegistration(settings, subscription))).toEqual({
      writeKey: "wk_1",
      contactId: "anon-1",
      deviceId: "device-1",
      subscription,
    });
    expect(JSON.parse(subscriptionRegistration({ ...settings, userId: "u" }, subscription)).contactId).toBe("u");
  });

  it("reads only complete worker settings", () => {
    expect(parseWorkerSettings({ ...settings, userId: "u" })).toEqual({ ...settings, userId: "u" });
    expect(parseWorkerSettings({ ...settings, writeKey: "" })).toBeUndefined();
    expect(parseWorkerSettings(null)).toBeUndefined();
  });
});

describe("VAPID application server key", () => {
  // A P-256 public key as web-push generates it (uncompressed point, base64url).
  const key = "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U";

  it("decodes base64url to the 65-byte point and compares it with a subscription's key", () => {
    const bytes = applicationServerKey(key);
    expect(bytes).toHaveLength(65);
    expect(bytes[0]).toBe(4);
    expect(sameKey(bytes.slice().buffer, bytes)).toBe(true);
    expect(sameKey(applicationServerKey(key.replace("BEl6", "BEl7")).buffer, bytes)).toBe(false);
    expect(sameKey(null, bytes)).toBe(true);
  });

  it("refuses a key that is not base64url or not a P-256 point, saying so", () => {
    expect(() => applicationServerKey("not a key!")).toThrow("base64url");
    expect(() => applicationServerKey("AAAA")).toThrow("65 bytes");
  });
});
