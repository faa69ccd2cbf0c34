import { describe, expect, it } from "vitest";
import { averagePrecision, brierScore, calibrationBins, logLoss, precisionAtK, recallAtK, rocAuc } from "./metrics.js";

describe("metrics against hand-computed values", () => {
  it("ROC AUC counts correctly ordered positive/negative pairs", () => {
    // pairs (pos, neg): (0.35, 0.1) ok, (0.35, 0.4) wrong, (0.8, 0.1) ok, (0.8, 0.4) ok → 3/4
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it("ROC AUC counts tied scores as one half", () => {
    // pos 0.5 vs negs 0.5, 0.5 → 0.5 + 0.5; pos 0.9 vs both → 1 + 1; (3) / 4
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.9])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
  });

  it("ROC AUC is NaN with a single class", () => {
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it("average precision sums precision at each recall step", () => {
    // ranked: 0.8 (pos) P=1 R=.5; 0.4 (neg); 0.35 (pos) P=2/3 R=1 → .5·1 + .5·2/3
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 + 1 / 3, 12);
    // a tie of one pos and one neg at the top is one threshold: R=1, P=1/2
    expect(averagePrecision([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12);
  });

  it("log loss and Brier score", () => {
    expect(logLoss([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
    expect(brierScore([1, 0], [0.8, 0.3])).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });

  it("calibration bins group predictions by width and report the observed rate", () => {
    const bins = calibrationBins([0, 1, 0, 1], [0.05, 0.15, 0.12, 1.0], 10);
    expect(bins).toHaveLength(3);
    expect(bins[0]).toMatchObject({ lower: 0, count: 1, observedRate: 0 });
    expect(bins[0]?.meanPredicted).toBeCloseTo(0.05, 12);
    expect(bins[1]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(bins[1]?.meanPredicted).toBeCloseTo(0.135, 12);
    expect(bins[2]).toMatchObject({ upper: 1, count: 1, meanPredicted: 1, observedRate: 1 });
  });

  it("precision@k and recall@k", () => {
    const labels = [1, 0, 1, 0];
    const scores = [0.9, 0.8, 0.7, 0.1];
    expect(precisionAtK(labels, scores, 2)).toBe(0.5);
    expect(precisionAtK(labels, scores, 1)).toBe(1);
    expect(recallAtK(labels, scores, 2)).toBe(0.5);
    expect(recallAtK(labels, scores, 3)).toBe(1);
  });
});
