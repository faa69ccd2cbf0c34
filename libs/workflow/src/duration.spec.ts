import { describe, expect, it } from "vitest";
import { durationToMilliseconds, formatDuration, parseDuration } from "./duration.js";

describe("durations", () => {
  it.each([
    ["2d", 172_800_000],
    ["1h30m", 5_400_000],
    ["1w", 604_800_000],
    ["500ms", 500],
    ["45s", 45_000],
    [" 3h ", 10_800_000],
  ])("parses %s", (text, milliseconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, milliseconds });
  });

  it("accepts signs only when asked to", () => {
    expect(parseDuration("-7d").ok).toBe(false);
    expect(durationToMilliseconds("-7d", { allowSign: true })).toBe(-604_800_000);
    expect(durationToMilliseconds("+2h", { allowSign: true })).toBe(7_200_000);
  });

  it.each([
    ["", "empty duration"],
    ["d", "expected a number at position 1"],
    ["2", "expected a unit (w, d, h, m, s, ms) at position 2"],
    ["2 days", "expected a unit"],
    ["1.5h", "expected a unit"],
  ])("rejects %j", (text, message) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("formats milliseconds compactly and round-trips", () => {
    expect(formatDuration(93_600_000)).toBe("1d2h");
    expect(formatDuration(-5_400_000)).toBe("-1h30m");
    expect(durationToMilliseconds(formatDuration(123_456_789))).toBe(123_456_789);
  });
});
