import { describe, expect, it } from "vitest";
import { bestHour, emptyHistogram, nextLocalHour } from "./best-hour.js";

const histogram = (counts: Record<number, number>): number[] => {
  const result = emptyHistogram();
  for (const [hour, count] of Object.entries(counts)) result[Number(hour)] = count;
  return result;
};

describe("bestHour", () => {
  it("uses the contact's most engaged hour when it has enough events", () => {
    expect(bestHour(histogram({ 7: 2, 19: 4 }), histogram({ 10: 100 }), 5)).toEqual({ hour: 19, source: "contact" });
  });

  it("falls back to the workspace when the contact has fewer than the minimum", () => {
    expect(bestHour(histogram({ 19: 4 }), histogram({ 10: 100, 11: 3 }), 5)).toEqual({ hour: 10, source: "workspace" });
  });

  it("has no answer without any data, and breaks ties by the earliest hour", () => {
    expect(bestHour(emptyHistogram(), emptyHistogram(), 5)).toBeUndefined();
    expect(bestHour(histogram({ 20: 3, 8: 3 }), emptyHistogram(), 1)?.hour).toBe(8);
  });
});

describe("nextLocalHour", () => {
  it("finds the next occurrence of the local hour within 24 hours", () => {
    // 12:00 UTC = 13:00 in Paris (January, UTC+1): 19:00 Paris is 18:00 UTC the same day.
    expect(nextLocalHour(new Date("2026-01-15T12:00:00Z"), 19, "Europe/Paris").toISOString()).toBe(
      "2026-01-15T18:00:00.000Z",
    );
    // 9:00 Paris has passed: tomorrow 08:00 UTC.
    expect(nextLocalHour(new Date("2026-01-15T12:00:00Z"), 9, "Europe/Paris").toISOString()).toBe(
      "2026-01-16T08:00:00.000Z",
    );
  });

  it("is now when the contact is already in that hour, and handles half-hour zones", () => {
    const now = new Date("2026-01-15T12:20:00Z");
    expect(nextLocalHour(now, 13, "Europe/Paris")).toBe(now);
    // India is UTC+5:30: 20:00 local = 14:30 UTC.
    expect(nextLocalHour(now, 20, "Asia/Kolkata").toISOString()).toBe("2026-01-15T14:30:00.000Z");
  });
});
