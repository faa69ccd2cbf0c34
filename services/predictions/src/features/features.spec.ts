import { describe, expect, it } from "vitest";
import { create, EventSchema, EventType, newEnvelope, timestampFromDate } from "@cascade/contracts";
import { activityOf, type Activity, type ActivityKind } from "./activity.js";
import { computeFeatures, NO_ACTIVITY_DAYS } from "./feature-definitions.js";

const DAY = 86_400_000;
const asOf = new Date("2025-03-31T12:00:00Z");
const at = (daysBefore: number) => new Date(asOf.getTime() - daysBefore * DAY);
const row = (kind: ActivityKind, daysBefore: number, extra: Partial<Activity> = {}): Activity => ({
  contactId: "c1",
  occurredAt: at(daysBefore),
  kind,
  itemId: null,
  durationSeconds: 0,
  value: null,
  ...extra,
});

describe("feature definitions", () => {
  it("counts each kind of activity inside the window only, and never reads the future", () => {
    const features = computeFeatures(
      [
        row("page_view", 1, { durationSeconds: 120 }),
        row("page_view", 1.2, { durationSeconds: 60 }),
        row("page_view", 45), // outside the 30-day window
        row("support_ticket", 3),
        row("email_engagement", 2),
        row("email_engagement", 2.5),
        row("product_interaction", 4),
        row("content_view", 5, { itemId: "a1" }),
        row("share", 6),
        row("purchase", 7),
        row("purchase", -2), // after asOf
        row("engagement_score", 10, { value: 0.4 }),
        row("engagement_score", 3, { value: 0.65 }),
        row("engagement_score", -1, { value: 0.99 }), // after asOf
      ],
      asOf,
      30,
    );
    expect(features).toEqual({
      engagement_score: 0.65,
      usage_frequency: 7 / 30, // days 1, 2, 3, 4, 5, 6, 7 before (1 and 1.2 fall on one day at noon)
      support_tickets: 1,
      page_views: 2,
      email_engagement: 2,
      product_interactions: 1,
      content_views: 1,
      time_spent: 3,
      sharing_behavior: 1,
      purchases: 1,
      days_since_last_activity: 1,
    });
  });

  it("gives a contact with no activity zeros and the maximum recency", () => {
    const features = computeFeatures([], asOf, 30);
    expect(features.page_views).toBe(0);
    expect(features.days_since_last_activity).toBe(NO_ACTIVITY_DAYS);
    expect(computeFeatures([row("other", 60)], asOf, 30).days_since_last_activity).toBeCloseTo(60);
  });

  it("reads events.v1 calls as activity kinds, with items and durations", () => {
    const ws = "ws-1";
    const track = (event: string, properties: Record<string, unknown> = {}) =>
      activityOf(
        create(EventSchema, {
          envelope: newEnvelope(ws),
          type: EventType.TRACK,
          event,
          contactId: "c1",
          timestamp: timestampFromDate(asOf),
          properties: properties as never,
        }),
      );
    expect(track("Order Completed", { product_id: "sku-9" })).toMatchObject({ kind: "purchase", itemId: "sku-9" });
    expect(track("Content Viewed", { content_id: "post-1", duration_seconds: 90 })).toMatchObject({
      kind: "content_view",
      itemId: "post-1",
      durationSeconds: 90,
      occurredAt: asOf,
    });
    expect(track("email_opened")?.kind).toBe("email_engagement");
    expect(track("Support Ticket Created")?.kind).toBe("support_ticket");
    expect(track("Something Else")?.kind).toBe("other");
    const page = activityOf(create(EventSchema, { envelope: newEnvelope(ws), type: EventType.PAGE, contactId: "c1" }));
    expect(page?.kind).toBe("page_view");
    const identify = activityOf(
      create(EventSchema, { envelope: newEnvelope(ws), type: EventType.IDENTIFY, contactId: "c1" }),
    );
    expect(identify).toBeUndefined();
  });
});
