import { describe, expect, it } from "vitest";
import { QuietHours, QuietHoursError } from "./quiet-hours.js";
import { FrequencyCap } from "./frequency-cap.js";

describe("QuietHours", () => {
  const hours = new QuietHours({ start: "08:00", end: "21:00" });

  it("allows a send inside the recipient's local window", () => {
    // 14:00 UTC is 10:00 in New York (EDT, UTC-4) in June.
    expect(hours.check(new Date("2025-06-10T14:00:00Z"), "America/New_York")).toEqual({ allowed: true });
  });

  it("defers a late-evening send to 08:00 local the next morning", () => {
    // 03:30 UTC on June 11 is 23:30 on June 10 in New York.
    const decision = hours.check(new Date("2025-06-11T03:30:00Z"), "America/New_York");
    expect(decision).toEqual({ allowed: false, localTime: "23:30", nextAllowedAt: new Date("2025-06-11T12:00:00Z") });
  });

  it("uses the recipient's zone, not the server's: the same instant is fine in Tokyo", () => {
    expect(hours.check(new Date("2025-06-11T03:30:00Z"), "Asia/Tokyo")).toEqual({ allowed: true });
  });

  it("lands on 08:00 local across a DST change", () => {
    // 2025-03-09 02:00 America/New_York springs forward; 05:00 UTC on March 9 is 00:00 EST.
    const decision = hours.check(new Date("2025-03-09T05:00:00Z"), "America/New_York");
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.nextAllowedAt.toISOString()).toBe("2025-03-09T12:00:00.000Z"); // 08:00 EDT
  });

  it("supports a window across midnight and rejects a bad zone or time naming the field", () => {
    const night = new QuietHours({ start: "22:00", end: "06:00" });
    expect(night.check(new Date("2025-06-10T23:00:00Z"), "UTC")).toEqual({ allowed: true });
    expect(night.check(new Date("2025-06-10T12:00:00Z"), "UTC").allowed).toBe(false);
    expect(() => hours.check(new Date(), "Mars/Olympus")).toThrow(/timezone/);
    expect(() => new QuietHours({ start: "8am", end: "21:00" })).toThrow(QuietHoursError);
  });
});

describe("FrequencyCap", () => {
  it("allows up to max sends in the window and refuses the next", () => {
    const cap = new FrequencyCap({ max: 2, windowMs: 86_400_000 });
    expect(cap.check(0)).toEqual({ allowed: true, remaining: 1 });
    expect(cap.check(1)).toEqual({ allowed: true, remaining: 0 });
    expect(cap.check(2)).toMatchObject({ allowed: false, sentInWindow: 2, max: 2 });
    expect(cap.windowStart(new Date("2025-06-10T12:00:00Z")).toISOString()).toBe("2025-06-09T12:00:00.000Z");
  });
});
