import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  const policy = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 };

  it("doubles from the initial delay up to the cap", () => {
    const middle = (): number => 0.5; // no spread
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(retry, policy, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it("spreads each delay by ±jitter and never exceeds the cap", () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(3_200);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(4_800);
    expect(backoffDelay(10, policy, () => 0.999_999)).toBe(30_000);
  });
});
