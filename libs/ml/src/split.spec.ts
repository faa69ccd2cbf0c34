import { describe, expect, it } from "vitest";
import { stratifiedSplit, timeSplit } from "./split.js";

describe("stratifiedSplit", () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0));

  it("keeps the class balance on both sides and covers every row once", () => {
    const split = stratifiedSplit(labels, 0.2, 42);
    expect(split.validation).toHaveLength(200);
    expect(split.validation.filter((i) => labels[i] === 1)).toHaveLength(50);
    expect(new Set([...split.train, ...split.validation]).size).toBe(1000);
  });

  it("is reproducible by seed and differs between seeds", () => {
    expect(stratifiedSplit(labels, 0.2, 42)).toEqual(stratifiedSplit(labels, 0.2, 42));
    expect(stratifiedSplit(labels, 0.2, 43).validation).not.toEqual(stratifiedSplit(labels, 0.2, 42).validation);
  });
});

describe("timeSplit", () => {
  it("validates on the latest rows and never splits one timestamp across sides", () => {
    const times = [5, 1, 3, 9, 7, 7, 2, 8, 4, 6];
    const split = timeSplit(times, 0.3);
    const latestTrain = Math.max(...split.train.map((i) => times[i] as number));
    const earliestValidation = Math.min(...split.validation.map((i) => times[i] as number));
    expect(latestTrain).toBeLessThan(earliestValidation);
    // 30% is 3 rows, but the two rows at time 7 stay together, so 4 rows validate
    expect(split.validation.map((i) => times[i] as number).sort((a, b) => a - b)).toEqual([7, 7, 8, 9]);
    expect(split.train).toHaveLength(6);
  });

  it("accepts dates", () => {
    const split = timeSplit([new Date("2024-01-03"), new Date("2024-01-01"), new Date("2024-01-02")], 0.34);
    expect(split.validation).toEqual([0]);
  });
});
