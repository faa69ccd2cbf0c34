import { describe, expect, it } from "vitest";
import { selectWinner, twoProportionZ } from "./winner-selection.js";

const variant = (variantId: string, sent: number, clicks: number) => ({
  variantId,
  sent,
  opens: 0,
  clicks,
  conversions: 0,
});

describe("twoProportionZ", () => {
  it("matches a worked example (200/1000 vs 150/1000 → z ≈ 2.94)", () => {
    expect(twoProportionZ(200, 1000, 150, 1000)).toBeCloseTo(2.942, 2);
  });

  it("is 0 without evidence and antisymmetric", () => {
    expect(twoProportionZ(0, 0, 5, 10)).toBe(0);
    expect(twoProportionZ(0, 10, 0, 10)).toBe(0);
    expect(twoProportionZ(3, 50, 9, 50)).toBeCloseTo(-twoProportionZ(9, 50, 3, 50), 10);
  });
});

describe("selectWinner", () => {
  it("waits until every variant has the minimum number of sends", () => {
    expect(selectWinner([variant("a", 100, 40), variant("b", 99, 5)], 100)).toBeUndefined();
  });

  it("picks the variant whose click rate is higher at 95 % confidence", () => {
    const decision = selectWinner([variant("a", 100, 10), variant("b", 100, 30), variant("c", 100, 12)], 100);
    expect(decision?.winner).toBe("b");
    expect(decision?.runnerUp).toBe("c");
    expect(decision?.z).toBeGreaterThan(1.96);
    expect(decision?.clickRates["b"]).toBeCloseTo(0.3);
  });

  it("declares no winner when the difference is not significant", () => {
    // 12 % vs 10 % on 100 sends each: z ≈ 0.45.
    expect(selectWinner([variant("a", 100, 12), variant("b", 100, 10)], 100)).toBeUndefined();
  });
});
