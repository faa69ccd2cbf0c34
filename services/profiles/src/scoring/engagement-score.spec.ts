import { describe, expect, it } from "vitest";
import {
  addEngagement,
  combineEngagement,
  ENGAGEMENT_SATURATION,
  ENGAGEMENT_TAU_MS,
  engagementScore,
  engagementWeightOf,
  NO_ENGAGEMENT,
  type EngagementState,
} from "./engagement-score.js";

const day = 24 * 60 * 60 * 1000;
const t0 = new Date("2025-01-01T00:00:00Z");
const at = (days: number): Date => new Date(t0.getTime() + days * day);
const apply = (events: Array<[weight: number, days: number]>): EngagementState =>
  events.reduce((state, [weight, days]) => addEngagement(state, weight, at(days)), NO_ENGAGEMENT);

describe("engagement score", () => {
  it("is 0 without engagement and follows 1 - exp(-mass / S) for fresh events", () => {
    expect(engagementScore(NO_ENGAGEMENT, t0)).toBe(0);
    const oneOpen = apply([[engagementWeightOf("email_opened"), 0]]);
    expect(engagementScore(oneOpen, t0)).toBeCloseTo(1 - Math.exp(-1 / ENGAGEMENT_SATURATION), 4);
    const oneClick = apply([[engagementWeightOf("email_clicked"), 0]]);
    expect(engagementScore(oneClick, t0)).toBeCloseTo(1 - Math.exp(-3 / ENGAGEMENT_SATURATION), 4);
  });

  it("rises with frequency and stays below 1", () => {
    const few = apply(Array.from({ length: 3 }, () => [1, 0] as [number, number]));
    const many = apply(Array.from({ length: 60 }, () => [3, 0] as [number, number]));
    expect(engagementScore(many, t0)).toBeGreaterThan(engagementScore(few, t0));
    expect(engagementScore(many, t0)).toBeLessThanOrEqual(1);
    expect(engagementScore(many, t0)).toBeGreaterThan(0.99);
  });

  it("decays by exp(-Δt / τ) with τ = 14 days", () => {
    const state = apply([[10, 0]]);
    const massAfterTau = 10 * Math.exp(-(14 * day) / ENGAGEMENT_TAU_MS);
    expect(engagementScore(state, at(14))).toBeCloseTo(1 - Math.exp(-massAfterTau / ENGAGEMENT_SATURATION), 4);
    expect(engagementScore(state, at(90))).toBeLessThan(0.01);
  });

  it("weighs recent events more than old ones (recency)", () => {
    const recent = apply([[1, 29]]);
    const old = apply([[1, 1]]);
    expect(engagementScore(recent, at(30))).toBeGreaterThan(engagementScore(old, at(30)));
  });

  it("gives the same state whatever order events are applied in", () => {
    const events: Array<[number, number]> = [
      [1, 3],
      [3, 0],
      [1, 10],
      [2, 7],
    ];
    const inOrder = apply([...events].sort((a, b) => a[1] - b[1]));
    const shuffled = apply(events);
    expect(shuffled.at).toEqual(inOrder.at);
    expect(shuffled.mass).toBeCloseTo(inOrder.mass, 10);
  });

  it("combines two contacts' engagement as if all their events had been one contact's", () => {
    const a = apply([
      [1, 0],
      [3, 5],
    ]);
    const b = apply([[1, 8]]);
    const all = apply([
      [1, 0],
      [3, 5],
      [1, 8],
    ]);
    for (const combined of [combineEngagement(a, b), combineEngagement(b, a)]) {
      expect(combined.at).toEqual(all.at);
      expect(combined.mass).toBeCloseTo(all.mass, 10);
    }
    expect(combineEngagement(NO_ENGAGEMENT, b)).toEqual(b);
  });

  it("ignores events without engagement weight", () => {
    expect(engagementWeightOf("Signed Up")).toBe(0);
    expect(addEngagement(NO_ENGAGEMENT, 0, t0)).toBe(NO_ENGAGEMENT);
  });
});
