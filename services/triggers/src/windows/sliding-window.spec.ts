import { describe, expect, it } from "vitest";
import { maxCountAround, windowsSatisfied } from "./sliding-window.js";

const DAY = 86_400_000;

describe("sliding windows by event time", () => {
  it("counts 3 visits within 7 days, and not 3 spread over 8 days", () => {
    const window = [{ min: 3, withinMs: 7 * DAY }];
    expect(windowsSatisfied([0, 3 * DAY, 6 * DAY], 6 * DAY, window)).toBe(true);
    expect(windowsSatisfied([0, 4 * DAY, 8 * DAY], 8 * DAY, window)).toBe(false);
  });

  it("counts an out-of-order event where it belongs in time", () => {
    // Visits on day 10 and day 13 arrived first; the day-5 visit arrives late: 5..13 is longer than 7 days.
    expect(maxCountAround([5 * DAY, 10 * DAY, 13 * DAY], 5 * DAY, 7 * DAY)).toBe(2);
    // A late visit on day 11 completes a window with days 10 and 13.
    expect(windowsSatisfied([5 * DAY, 10 * DAY, 11 * DAY, 13 * DAY], 11 * DAY, [{ min: 3, withinMs: 7 * DAY }])).toBe(
      true,
    );
  });

  it("only counts spans that contain the new event", () => {
    // Three old events satisfied a window long ago; the new one far later does not fire on their account.
    expect(windowsSatisfied([0, 1, 2, 30 * DAY], 30 * DAY, [{ min: 3, withinMs: DAY }])).toBe(false);
  });

  it("needs every window (count and visit frequency) to hold", () => {
    const times = [0, DAY, 2 * DAY];
    expect(
      windowsSatisfied(times, 2 * DAY, [
        { min: 3, withinMs: 3 * DAY },
        { min: 2, withinMs: DAY },
      ]),
    ).toBe(true);
    expect(
      windowsSatisfied(times, 2 * DAY, [
        { min: 3, withinMs: 3 * DAY },
        { min: 3, withinMs: DAY },
      ]),
    ).toBe(false);
  });
});
