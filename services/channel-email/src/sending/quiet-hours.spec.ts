import { describe, expect, it } from "vitest";
import { QuietHours } from "./quiet-hours.js";

describe("QuietHours 21 → 8", () => {
  const quiet = new QuietHours(21, 8);

  it("is quiet late in the contact's own time zone and says when it ends", () => {
    const at = new Date("2026-01-15T12:00:00Z"); // 23:00 in Sydney (UTC+11), 07:00 in New York
    expect(quiet.isQuiet(at, "Australia/Sydney")).toBe(true);
    expect(quiet.until(at, "Australia/Sydney")?.toISOString()).toBe("2026-01-15T21:00:00.000Z");
    expect(quiet.isQuiet(at, "America/New_York")).toBe(true);
    expect(quiet.isQuiet(at, "Europe/Berlin")).toBe(false);
    expect(quiet.until(at, "Europe/Berlin")).toBeUndefined();
  });
});
