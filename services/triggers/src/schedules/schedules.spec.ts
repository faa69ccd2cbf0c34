import { describe, expect, it } from "vitest";
import type { DatePropertyTrigger } from "../matching/compiled-trigger.js";
import { unknownContact } from "../matching/evaluation-context.js";
import { crossed } from "../predictions/threshold-crossing.js";
import { nextTick, planCronFiring } from "./cron-schedule.js";
import { dateFiringOf } from "./date-property-schedule.js";

const HOUR = 3_600_000;

describe("cron schedules", () => {
  it("computes ticks in the trigger's time zone across DST", () => {
    // 09:00 Paris on Monday 31 March 2025 is 07:00 UTC (summer time began on the 30th).
    expect(nextTick("0 9 * * 1", "Europe/Paris", new Date("2025-03-28T00:00:00Z"))?.toISOString()).toBe(
      "2025-03-31T07:00:00.000Z",
    );
  });

  it("fires only the latest missed tick within the catch-up window, counting the older ones as missed", () => {
    const due = new Date("2025-01-01T00:00:00Z");
    const now = new Date("2025-01-01T05:30:00Z");
    const plan = planCronFiring("0 * * * *", "UTC", due, now, 24 * HOUR);
    expect(plan.fire?.toISOString()).toBe("2025-01-01T05:00:00.000Z");
    expect(plan.missed).toBe(5);
    expect(plan.next?.toISOString()).toBe("2025-01-01T06:00:00.000Z");
  });

  it("fires nothing when even the latest tick is older than the catch-up window", () => {
    const plan = planCronFiring(
      "0 0 * * *",
      "UTC",
      new Date("2025-01-01T00:00:00Z"),
      new Date("2025-01-03T12:00:00Z"),
      HOUR,
    );
    expect(plan.fire).toBeUndefined();
    expect(plan.missed).toBe(3);
  });
});

describe("date-property firings", () => {
  const trigger = {
    kind: "date_property",
    property: ["contact", "traits", "product_launch_date"],
    offsetMs: -14 * 24 * HOUR,
    at: "09:00",
    fallbackTimezone: "UTC",
  } as unknown as DatePropertyTrigger;

  it("fires at the local time in the contact's time zone, offset from the date", () => {
    const contact = {
      ...unknownContact("c"),
      timezone: "America/New_York",
      traits: { product_launch_date: "2025-07-15" },
    };
    // 1 July 2025 09:00 in New York (EDT, UTC−4).
    expect(dateFiringOf(trigger, contact)?.toISOString()).toBe("2025-07-01T13:00:00.000Z");
  });

  it("uses the fallback time zone, and nothing without the date", () => {
    expect(
      dateFiringOf(trigger, {
        ...unknownContact("c"),
        traits: { product_launch_date: "2025-07-15T00:00:00Z" },
      })?.toISOString(),
    ).toBe("2025-07-01T09:00:00.000Z");
    expect(dateFiringOf(trigger, unknownContact("c"))).toBeUndefined();
    expect(dateFiringOf(trigger, { ...unknownContact("c"), traits: { product_launch_date: "soon" } })).toBeUndefined();
  });
});

describe("predictive threshold crossing", () => {
  it("fires on the crossing, not on every update above the threshold", () => {
    expect(crossed(0.5, 0.8, 0.7, "above")).toBe(true);
    expect(crossed(0.8, 0.9, 0.7, "above")).toBe(false);
    expect(crossed(undefined, 0.8, 0.7, "above")).toBe(true);
    expect(crossed(0.9, 0.6, 0.7, "above")).toBe(false);
    expect(crossed(0.9, 0.6, 0.7, "below")).toBe(true);
    expect(crossed(0.6, 0.5, 0.7, "below")).toBe(false);
  });
});
