import { describe, expect, it } from "vitest";
import { emailQuietHours } from "./quiet-hours.js";

describe("email quiet hours 21 → 8", () => {
  const quiet = emailQuietHours(21, 8);

  it("is quiet late in the contact's own time zone and says when it ends", () => {
    const at = new Date("2026-01-15T12:00:00Z"); // 23:00 in Sydney (UTC+11), 07:00 in New York
    const sydney = quiet.check(at, "Australia/Sydney");
    expect(sydney.allowed).toBe(false);
    if (!sydney.allowed) expect(sydney.nextAllowedAt.toISOString()).toBe("2026-01-15T21:00:00.000Z");
    expect(quiet.check(at, "America/New_York").allowed).toBe(false);
    expect(quiet.check(at, "Europe/Berlin")).toEqual({ allowed: true });
  });

  it("has no quiet hours when start and end are the same hour", () => {
    const none = emailQuietHours(0, 0);
    for (const hour of [0, 3, 12, 23])
      expect(none.check(new Date(Date.UTC(2026, 0, 15, hour, 30)), "UTC")).toEqual({ allowed: true });
  });
});
