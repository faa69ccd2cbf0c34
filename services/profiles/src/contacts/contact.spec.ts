import { describe, expect, it } from "vitest";
import { addEngagement } from "../scoring/engagement-score.js";
import { countEvent, mergeContacts, newContact, type ContactRecord } from "./contact.js";

const at = (iso: string): Date => new Date(iso);

function contact(id: string, userId: string | null, overrides: Partial<ContactRecord>): ContactRecord {
  return { ...newContact("ws", id, userId, at("2025-01-01T00:00:00Z")), ...overrides };
}

describe("merge rules", () => {
  const known = contact("alice", "alice", {
    firstSeenAt: at("2025-01-05T00:00:00Z"),
    lastSeenAt: at("2025-01-06T00:00:00Z"),
    eventCount: 3,
    lastEvent: "Signed Up",
    traits: { name: "Alice", plan: "pro" },
    leadScore: 12,
    engagement: addEngagement({ mass: 0, at: null }, 3, at("2025-01-06T00:00:00Z")),
  });
  const anonymous = contact("anon-1", null, {
    firstSeenAt: at("2025-01-01T00:00:00Z"),
    lastSeenAt: at("2025-01-04T00:00:00Z"),
    eventCount: 5,
    lastEvent: "page_view",
    traits: { name: "visitor", utm_source: "ads" },
    leadScore: 5,
    engagement: addEngagement({ mass: 0, at: null }, 1, at("2025-01-04T00:00:00Z")),
    mergedFrom: ["anon-0"],
  });

  it("moves the anonymous contact's counters, scores and traits into the known one (known traits win)", () => {
    const merged = mergeContacts(known, anonymous);
    expect(merged).toMatchObject({
      contactId: "alice",
      userId: "alice",
      eventCount: 8,
      leadScore: 17,
      firstSeenAt: at("2025-01-01T00:00:00Z"),
      lastSeenAt: at("2025-01-06T00:00:00Z"),
      lastEvent: "Signed Up",
      traits: { name: "Alice", plan: "pro", utm_source: "ads" },
    });
    expect(merged.mergedFrom).toEqual(["anon-1", "anon-0"]);
    expect(merged.engagement.at).toEqual(at("2025-01-06T00:00:00Z"));
    expect(merged.engagement.mass).toBeGreaterThan(known.engagement.mass);
  });

  it("takes the last event from whichever contact was seen last, and the source's user id when the target has none", () => {
    const later = { ...anonymous, userId: "bob", lastSeenAt: at("2025-02-01T00:00:00Z"), lastEvent: "email_clicked" };
    const merged = mergeContacts({ ...known, userId: null }, later);
    expect(merged.lastEvent).toBe("email_clicked");
    expect(merged.lastSeenAt).toEqual(at("2025-02-01T00:00:00Z"));
    expect(merged.userId).toBe("bob");
  });

  it("records each merged id once, however often merges repeat", () => {
    const twice = mergeContacts(mergeContacts(known, anonymous), { ...anonymous, contactId: "anon-0", mergedFrom: [] });
    expect(twice.mergedFrom).toEqual(["anon-1", "anon-0"]);
  });
});

describe("counting events", () => {
  it("keeps the latest event by event time, even when an older one arrives later", () => {
    let c = newContact("ws", "c", null, at("2025-01-02T00:00:00Z"));
    c = countEvent(c, "Latest", at("2025-01-02T00:00:00Z"));
    c = countEvent(c, "Older", at("2025-01-01T00:00:00Z"));
    expect(c).toMatchObject({
      eventCount: 2,
      lastEvent: "Latest",
      firstSeenAt: at("2025-01-01T00:00:00Z"),
      lastSeenAt: at("2025-01-02T00:00:00Z"),
    });
  });
});
