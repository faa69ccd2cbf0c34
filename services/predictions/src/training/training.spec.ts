import { describe, expect, it } from "vitest";
import { shouldPromote } from "@cascade/ml";
import { evaluateClassifier, splitAtLatestCutoff, trainClassifier } from "./classifier-training.js";
import { syntheticActivity } from "./synthetic-activity.js";
import { buildLabelledRows, trainingCutoffs, type LabelledRow, type LabelSettings } from "./training-data.js";

const now = new Date("2025-06-01T00:00:00Z");
const settings: LabelSettings = { featureWindowDays: 30, churnInactivityDays: 14, purchaseWindowDays: 7, snapshots: 4 };
const activity = syntheticActivity({ contacts: 300, days: 90, now, seed: 11 });

describe("training from the stream", () => {
  it("labels churn from inactivity after each cutoff, with features from before it only", () => {
    const cutoffs = trainingCutoffs("churn", settings, now);
    expect(cutoffs).toHaveLength(4);
    expect(cutoffs[3]?.toISOString()).toBe("2025-05-18T00:00:00.000Z");
    const rows = buildLabelledRows("churn", activity, settings, now);
    for (const row of rows.slice(0, 200)) {
      const history = activity.get(row.contactId) ?? [];
      const laterActivity = history.some(
        (a) =>
          a.kind !== "engagement_score" &&
          a.occurredAt > row.cutoff &&
          a.occurredAt.getTime() <= row.cutoff.getTime() + 14 * 86_400_000,
      );
      expect(row.label).toBe(laterActivity ? 0 : 1);
      expect(row.features.days_since_last_activity).toBeLessThanOrEqual(30);
    }
  });

  it("trains a churn random forest reproducibly with a seed, validated on the latest cutoff", () => {
    const rows = buildLabelledRows("churn", activity, settings, now);
    const first = trainClassifier("churn", rows, { seed: 5, minRows: 40 });
    const second = trainClassifier("churn", rows, { seed: 5, minRows: 40 });
    expect(JSON.stringify(second.artifact)).toBe(JSON.stringify(first.artifact));
    expect(first.split.validationFrom).toBe("2025-05-18T00:00:00.000Z");
    expect(first.metrics.rocAuc).toBeGreaterThan(0.7);
    expect(first.metrics.rocAuc).toBe(second.metrics.rocAuc);
    expect(first.artifact.trained.algorithm).toBe("random_forest");
  });

  it("trains purchase intent with gradient boosting", () => {
    const rows = buildLabelledRows("purchase_intent", activity, settings, now);
    const result = trainClassifier("purchase_intent", rows, { seed: 5, minRows: 40 });
    expect(result.artifact.trained.algorithm).toBe("gbdt");
    expect(result.metrics.rocAuc).toBeGreaterThan(0.6);
  });

  it("promotes only a version that beats the current one on the same validation rows", () => {
    const rows = buildLabelledRows("churn", activity, settings, now);
    const good = trainClassifier("churn", rows, { seed: 5, minRows: 40 });
    // A model trained on shuffled labels ranks no better than chance.
    const noisy = rows.map((row, i) => ({ ...row, label: rows[(i * 7919) % rows.length]?.label ?? row.label }));
    const weak = trainClassifier("churn", noisy, { seed: 5, minRows: 40 });
    const weakOnGoodRows = evaluateClassifier(weak.artifact, good.validation);
    expect(shouldPromote(good.metrics, weakOnGoodRows).promote).toBe(true);
    expect(shouldPromote(weakOnGoodRows, good.metrics).promote).toBe(false);
    expect(shouldPromote(good.metrics, good.metrics).promote).toBe(false);
  });

  it("refuses to train on too few rows or one class, naming the reason", () => {
    const rows = buildLabelledRows("churn", activity, settings, now);
    expect(() => trainClassifier("churn", rows.slice(0, 10), { seed: 1, minRows: 40 })).toThrow(
      /10 labelled rows, at least 40/,
    );
    const constant = rows.map((row) => ({ ...row, label: 0 as const }));
    expect(() => trainClassifier("churn", constant, { seed: 1, minRows: 40 })).toThrow(/only one class/);
  });
});

describe("time split", () => {
  it("validates on the latest cutoff and trains on the earlier ones, at 200 000 rows (no spread of the rows)", () => {
    const cutoffs = [new Date("2030-01-01T00:00:00Z"), new Date("2030-01-08T00:00:00Z")];
    const rows: LabelledRow[] = Array.from({ length: 200_000 }, (_, i) => ({
      contactId: `c${i}`,
      cutoff: cutoffs[i % 2] as Date,
      features: {} as LabelledRow["features"],
      label: (i % 3 === 0 ? 1 : 0) as 0 | 1,
    }));
    const split = splitAtLatestCutoff(rows);
    expect(split.validation).toHaveLength(100_000);
    expect(split.train).toHaveLength(100_000);
    expect(split.validation.every((i) => i % 2 === 1)).toBe(true);
  });
});
