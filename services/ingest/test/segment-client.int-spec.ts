import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Analytics } from "@segment/analytics-node";
import { EventType } from "@cascade/contracts";
import { ingestService } from "../src/index.js";
import { startTestPlatform, type TestPlatform } from "@cascade/testing";
import { EventCollector } from "./event-collector.js";

/** Acceptance: Segment's own Node library, unmodified, delivers to Cascade once its host points here. */
describe("@segment/analytics-node against ingest", () => {
  let platform: TestPlatform;
  let events: EventCollector;

  beforeAll(async () => {
    platform = await startTestPlatform({ services: [ingestService] });
    events = await EventCollector.start(platform);
  });
  afterAll(async () => {
    await events?.close();
    await platform?.close();
  });

  it("delivers identify, track, page and a multi-message batch, each once, keyed by the contact", async () => {
    const errors: unknown[] = [];
    const analytics = new Analytics({
      writeKey: platform.workspace.writeKey,
      host: platform.url,
      flushAt: 3,
      flushInterval: 200,
      maxRetries: 1,
    });
    analytics.on("error", (error) => errors.push(error));
    const userId = `seg-${randomUUID()}`;
    const anonymousId = `anon-${randomUUID()}`;

    analytics.identify({ userId, traits: { email: "seg@example.com", plan: "pro" } });
    analytics.track({ userId, event: "Order Completed", properties: { total: 99.5, currency: "EUR" } });
    analytics.page({ anonymousId, name: "Pricing", category: "Marketing", properties: { path: "/pricing" } });
    for (let i = 0; i < 5; i++) analytics.track({ userId, event: "Item Viewed", properties: { index: i } });
    await analytics.closeAndFlush({ timeout: 15_000 });
    expect(errors).toEqual([]);

    const known = await events.waitFor((event) => event.userId === userId, 7);
    const [page] = await events.waitFor((event) => event.anonymousId === anonymousId);
    expect(known).toHaveLength(7);
    expect(new Set(known.map((m) => m.value.messageId)).size).toBe(7);
    expect(known.every((m) => m.key === `${platform.workspaceId}:${userId}` && m.value.sentAt !== undefined)).toBe(
      true,
    );
    const identify = known.find((m) => m.value.type === EventType.IDENTIFY)!.value;
    expect(identify.traits).toEqual({ email: "seg@example.com", plan: "pro" });
    const order = known.find((m) => m.value.event === "Order Completed")!.value;
    expect(order.properties).toEqual({ total: 99.5, currency: "EUR" });
    expect(order.context?.library).toMatchObject({ name: "@segment/analytics-node" });
    expect(
      known
        .filter((m) => m.value.event === "Item Viewed")
        .map((m) => m.value.properties?.index)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);
    expect(page!.value).toMatchObject({
      type: EventType.PAGE,
      name: "Pricing",
      category: "Marketing",
      contactId: anonymousId,
    });
  });
});
