import { describe, expect, it } from "vitest";
import { Analytics } from "./analytics.js";
import { DEFAULT_DELIVERY_OPTIONS, DeliveryQueue } from "./delivery-queue.js";
import { Identity } from "./identity.js";
import { MemoryKeyValueStore } from "./key-value-store.js";
import type { BatchPayload, Message } from "./messages.js";
import { MemoryPendingStore } from "./pending-store.js";

let id = 0;

function setUp(store = new MemoryKeyValueStore()): { analytics: Analytics; sent: () => Promise<Message[]> } {
  const payloads: BatchPayload[] = [];
  const queue = new DeliveryQueue(
    { ...DEFAULT_DELIVERY_OPTIONS, writeKey: "wk", flushAt: 1_000 },
    {
      transport: {
        send: async (payload) => (payloads.push(payload), { kind: "delivered" }),
        sendOnUnload: () => false,
      },
      store: new MemoryPendingStore(),
      isOnline: () => true,
    },
  );
  const analytics = new Analytics({
    queue,
    identity: new Identity(store, () => `id-${++id}`),
    context: () => ({ library: { name: "test" } }),
    pageProperties: () => ({ url: "https://shop.example/pricing", path: "/pricing", title: "Pricing" }),
    newId: () => `id-${++id}`,
    now: () => new Date("2025-01-02T03:04:05.000Z"),
  });
  return { analytics, sent: async () => (await analytics.flush(), payloads.flatMap((payload) => payload.batch)) };
}

describe("Analytics", () => {
  it("builds Segment-spec messages with a messageId, timestamp, persisted anonymousId and context", async () => {
    const { analytics, sent } = setUp();
    const messageId = analytics.track("Signed Up", { plan: "pro" });
    analytics.page();
    const [track, page] = await sent();
    expect(track).toEqual({
      type: "track",
      event: "Signed Up",
      properties: { plan: "pro" },
      messageId,
      timestamp: "2025-01-02T03:04:05.000Z",
      anonymousId: analytics.anonymousId,
      context: { library: { name: "test" } },
    });
    expect(page).toMatchObject({
      type: "page",
      anonymousId: analytics.anonymousId,
      properties: { path: "/pricing", title: "Pricing" },
    });
  });

  it("keeps the anonymousId and user across instances sharing storage (page loads), and reset() forgets them", async () => {
    const store = new MemoryKeyValueStore();
    const first = setUp(store).analytics;
    first.identify("user-42", { email: "ada@example.com" });
    const visitor = first.anonymousId;
    const second = setUp(store);
    expect(second.analytics.anonymousId).toBe(visitor);
    second.analytics.identify(undefined, { plan: "pro" });
    second.analytics.track("Upgraded");
    const [identify, track] = await second.sent();
    expect(identify).toMatchObject({
      type: "identify",
      userId: "user-42",
      traits: { email: "ada@example.com", plan: "pro" },
    });
    expect(track).toMatchObject({ userId: "user-42", anonymousId: visitor });

    second.analytics.reset();
    expect(second.analytics.userId).toBeUndefined();
    expect(second.analytics.anonymousId).not.toBe(visitor);
  });

  it("sends group and alias (previousId defaults to the current id)", async () => {
    const { analytics, sent } = setUp();
    const anonymousId = analytics.anonymousId;
    analytics.group("acme", { plan: "enterprise" });
    analytics.alias("user-7");
    const [group, alias] = await sent();
    expect(group).toMatchObject({ type: "group", groupId: "acme", traits: { plan: "enterprise" } });
    expect(alias).toMatchObject({ type: "alias", userId: "user-7", previousId: anonymousId });
  });

  it("merges added context providers into later messages until removed", async () => {
    const { analytics, sent } = setUp();
    let landing: { message_id: string } | undefined = { message_id: "push-1" };
    const remove = analytics.addContext(() => (landing ? { push: landing } : undefined));
    analytics.track("Viewed Offer");
    landing = undefined;
    analytics.track("Still Here");
    remove();
    landing = { message_id: "push-2" };
    analytics.track("After Removal");
    const [first, second, third] = await sent();
    expect(first?.context).toEqual({ library: { name: "test" }, push: { message_id: "push-1" } });
    expect(second?.context).toEqual({ library: { name: "test" } });
    expect(third?.context).toEqual({ library: { name: "test" } });
  });

  it("refuses calls without their required field, naming it", () => {
    const { analytics } = setUp();
    expect(() => analytics.track("")).toThrow("cascade.track: event must be a non-empty string");
    expect(() => analytics.group(" ")).toThrow("groupId");
    expect(() => analytics.alias("")).toThrow("userId");
  });
});
