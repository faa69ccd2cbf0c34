import { describe, expect, it } from "vitest";
import type { ModelMetrics } from "./metrics.js";
import { shouldPromote } from "./promotion.js";

function metrics(rocAuc: number, logLoss: number): ModelMetrics {
  return {
    rocAuc,
    logLoss,
    prAuc: 0.5,
    brier: 0.15,
    expectedCalibrationError: 0.02,
    calibration: [],
    rows: 100,
    positiveRate: 0.3,
  };
}

describe("shouldPromote", () => {
  it("promotes the first version", () => {
    expect(shouldPromote(metrics(0.7, 0.5), null).promote).toBe(true);
  });

  it("promotes only a strictly better ROC AUC", () => {
    expect(shouldPromote(metrics(0.84, 0.45), metrics(0.83, 0.45)).promote).toBe(true);
    expect(shouldPromote(metrics(0.83, 0.4), metrics(0.83, 0.45)).promote).toBe(false);
    expect(shouldPromote(metrics(0.82, 0.4), metrics(0.83, 0.45))).toMatchObject({
      promote: false,
      reason: expect.stringContaining("does not beat"),
    });
  });

  it("honours a minimum gain and refuses much worse calibration", () => {
    expect(shouldPromote(metrics(0.835, 0.45), metrics(0.83, 0.45), { minRocAucGain: 0.01 }).promote).toBe(false);
    expect(shouldPromote(metrics(0.85, 0.6), metrics(0.83, 0.45))).toMatchObject({
      promote: false,
      reason: expect.stringContaining("log loss"),
    });
  });

  it("never promotes a candidate without a ROC AUC", () => {
    expect(shouldPromote(metrics(Number.NaN, 0.4), null).promote).toBe(false);
  });
});
