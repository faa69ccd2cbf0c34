import { describe, expect, it } from "vitest";
import { ModelTrainingError } from "../errors.js";
import { rocAuc } from "../metrics.js";
import { seededRandom } from "../random.js";
import { gbdtClassifier, gbdtContributions, gbdtMargin, trainGbdt } from "./gbdt.js";
import { predictLogisticRegression, trainLogisticRegression } from "./logistic-regression.js";
import { randomForestClassifier, trainRandomForest } from "./random-forest.js";

/** XOR-like problem: y = 1 when x0 and x1 share a sign (10% labels flipped), x2 is noise. No linear signal. */
function xorData(count: number, seed: number): { rows: number[][]; labels: number[] } {
  const random = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1];
    const label = (row[0] as number) * (row[1] as number) > 0 ? 1 : 0;
    rows.push(row);
    labels.push(random() < 0.1 ? 1 - label : label);
  }
  return { rows, labels };
}

const train = xorData(800, 1);
const test = xorData(400, 2);

describe("tree models on a non-linear problem", () => {
  const baselineAuc = rocAuc(
    test.labels,
    predictLogisticRegression(trainLogisticRegression(train.rows, train.labels), test.rows),
  );

  it("the logistic baseline cannot see the interaction", () => {
    expect(baselineAuc).toBeLessThan(0.6);
  });

  it("random forest beats the baseline", () => {
    const model = trainRandomForest(train.rows, train.labels, { nEstimators: 20, maxFeatures: 1.0, seed: 3 });
    const auc = rocAuc(test.labels, randomForestClassifier(model).predictProbabilities(test.rows));
    expect(auc).toBeGreaterThan(0.85);
    expect(auc).toBeGreaterThan(baselineAuc + 0.2);
  });

  it("gradient boosting beats the baseline", () => {
    const model = trainGbdt(train.rows, train.labels, { nTrees: 60, learningRate: 0.2, maxDepth: 3, seed: 3 });
    const auc = rocAuc(test.labels, gbdtClassifier(model).predictProbabilities(test.rows));
    expect(auc).toBeGreaterThan(0.85);
    expect(auc).toBeGreaterThan(baselineAuc + 0.2);
  });
});

describe("reproducibility", () => {
  it("random forest: same seed → identical predictions, other seed → different ones; survives JSON", () => {
    const a = randomForestClassifier(
      trainRandomForest(train.rows, train.labels, { nEstimators: 10, seed: 11 }),
    ).predictProbabilities(test.rows);
    const b = randomForestClassifier(
      trainRandomForest(train.rows, train.labels, { nEstimators: 10, seed: 11 }),
    ).predictProbabilities(test.rows);
    const other = randomForestClassifier(
      trainRandomForest(train.rows, train.labels, { nEstimators: 10, seed: 12 }),
    ).predictProbabilities(test.rows);
    expect(a).toEqual(b);
    expect(other).not.toEqual(a);
    const model = trainRandomForest(train.rows, train.labels, { nEstimators: 10, seed: 11 });
    const restored = JSON.parse(JSON.stringify(model)) as typeof model;
    expect(randomForestClassifier(restored).predictProbabilities(test.rows)).toEqual(a);
  });

  it("gradient boosting: same seed → identical predictions, other seed → different ones", () => {
    const options = { nTrees: 20, subsample: 0.7, colsample: 0.7 };
    const a = gbdtClassifier(trainGbdt(train.rows, train.labels, { ...options, seed: 5 })).predictProbabilities(
      test.rows,
    );
    const b = gbdtClassifier(trainGbdt(train.rows, train.labels, { ...options, seed: 5 })).predictProbabilities(
      test.rows,
    );
    const other = gbdtClassifier(trainGbdt(train.rows, train.labels, { ...options, seed: 6 })).predictProbabilities(
      test.rows,
    );
    expect(a).toEqual(b);
    expect(other).not.toEqual(a);
  });
});

describe("gbdtContributions", () => {
  it("bias plus per-feature contributions equal the margin, and the noise feature matters least", () => {
    const model = trainGbdt(train.rows, train.labels, { nTrees: 30, seed: 1 });
    const totals = [0, 0, 0];
    for (const row of test.rows.slice(0, 50)) {
      const { bias, contributions } = gbdtContributions(model, row);
      expect(bias + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(gbdtMargin(model, row), 10);
      contributions.forEach((value, f) => (totals[f] = (totals[f] as number) + Math.abs(value)));
    }
    expect(totals[2]).toBeLessThan(Math.min(totals[0] as number, totals[1] as number));
  });
});

describe("training failures are typed", () => {
  it("rejects constant labels, empty input and non-finite features", () => {
    expect(() =>
      trainGbdt(
        train.rows,
        train.labels.map(() => 1),
      ),
    ).toThrow(ModelTrainingError);
    expect(() => trainGbdt([], [])).toThrow(ModelTrainingError);
    expect(() => trainRandomForest([[1], [Number.NaN]], [0, 1])).toThrow(ModelTrainingError);
  });
});

describe("logistic regression", () => {
  it("recovers the direction of a linear signal", () => {
    const random = seededRandom(9);
    const rows = Array.from({ length: 500 }, () => [random() * 2 - 1, random() * 2 - 1]);
    const labels = rows.map((row) =>
      random() < 1 / (1 + Math.exp(-(3 * (row[0] as number) - 2 * (row[1] as number)))) ? 1 : 0,
    );
    const model = trainLogisticRegression(rows, labels, { l2: 0.1 });
    expect(model.weights[0]).toBeGreaterThan(1.5);
    expect(model.weights[1]).toBeLessThan(-1);
  });
});
