import { describe, expect, it } from "vitest";
import { EngagementClock } from "./engagement-clock.js";

describe("EngagementClock", () => {
  it("counts visible time only, and reports increments with a running total", () => {
    let now = 1_000;
    const clock = new EngagementClock(() => now, true);
    now += 3_000;
    clock.hide();
    now += 60_000; // hidden: not counted
    expect(clock.report()).toEqual({ totalMs: 3_000, sinceLastReportMs: 3_000 });
    clock.show();
    now += 2_000;
    clock.hide();
    expect(clock.report()).toEqual({ totalMs: 5_000, sinceLastReportMs: 2_000 });
    expect(clock.report()).toEqual({ totalMs: 5_000, sinceLastReportMs: 0 });
  });

  it("starts paused when the page loads hidden (e.g. opened in a background tab)", () => {
    let now = 0;
    const clock = new EngagementClock(() => now, false);
    now += 10_000;
    expect(clock.elapsedMs).toBe(0);
    clock.show();
    now += 1_500;
    expect(clock.elapsedMs).toBe(1_500);
  });
});
