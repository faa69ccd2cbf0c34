import { ModelTrainingError } from "../errors.js";
import { seededRandom, shuffleInPlace } from "../random.js";
import type { BinaryClassifier } from "./classifier.js";
import { sigmoid } from "./classifier.js";
import type { RegressionTree } from "./histogram-tree.js";
import { binRows, fitThresholds, growTree, leafOf } from "./histogram-tree.js";

export interface GbdtOptions {
  /** Boosting rounds; default 200. */
  readonly nTrees?: number;
  /** Shrinkage per tree; default 0.05. */
  readonly learningRate?: number;
  /** Depth of each tree; default 3. */
  readonly maxDepth?: number;
  /** Minimum hessian sum per child; default 10. */
  readonly minChildWeight?: number;
  /** L2 penalty on leaf values; default 5. */
  readonly lambda?: number;
  /** Share of rows each tree sees (without replacement); default 0.8. */
  readonly subsample?: number;
  /** Share of features each tree may split on; default 0.8. */
  readonly colsample?: number;
  /** Histogram bins per feature (2..255); default 64. */
  readonly maxBins?: number;
  /** Seed of row and column subsampling; default 42. */
  readonly seed?: number;
}

/** A fitted gradient-boosted model for binary log loss: margin = baseScore + Σ tree values. */
export interface GbdtModel {
  readonly algorithm: "gbdt";
  readonly featureCount: number;
  readonly baseScore: number;
  readonly trees: readonly RegressionTree[];
  readonly options: Required<GbdtOptions>;
}

const DEFAULTS: Required<GbdtOptions> = {
  nTrees: 200,
  learningRate: 0.05,
  maxDepth: 3,
  minChildWeight: 10,
  lambda: 5,
  subsample: 0.8,
  colsample: 0.8,
  maxBins: 64,
  seed: 42,
};

/**
 * Gradient boosting on binary log loss with second-order (Newton) histogram trees, row and column
 * subsampling. Built in-house because ml-cart's regression tree has no per-sample gradient/hessian
 * support and an O(n²) split search per feature (see models/random-forest.ts).
 */
export function trainGbdt(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: GbdtOptions = {},
): GbdtModel {
  const settings: Required<GbdtOptions> = { ...DEFAULTS, ...options };
  const rowCount = rows.length;
  const featureCount = rows[0]?.length ?? 0;
  if (rowCount < 2 || featureCount === 0)
    throw new ModelTrainingError(`gbdt: needs rows and features, got ${rowCount}×${featureCount}`);
  if (settings.maxBins < 2 || settings.maxBins > 255)
    throw new ModelTrainingError(`gbdt: maxBins must be 2..255, got ${settings.maxBins}`);
  rows.forEach((row, i) => {
    if (row.length !== featureCount || !row.every(Number.isFinite))
      throw new ModelTrainingError(`gbdt: row ${i} is not ${featureCount} finite numbers`);
  });
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === rowCount) throw new ModelTrainingError("gbdt: labels are constant");

  const random = seededRandom(settings.seed);
  const thresholds = fitThresholds(rows, featureCount, settings.maxBins);
  const binned = binRows(rows, thresholds);
  const baseScore = Math.log(positives / (rowCount - positives));
  const margins = new Float64Array(rowCount).fill(baseScore);
  const gradients = new Float64Array(rowCount);
  const hessians = new Float64Array(rowCount);
  const allRows = Array.from({ length: rowCount }, (_, i) => i);
  const allFeatures = Array.from({ length: featureCount }, (_, f) => f);
  const sampledRowCount = Math.max(1, Math.round(rowCount * settings.subsample));
  const sampledFeatureCount = Math.max(1, Math.round(featureCount * settings.colsample));
  const trees: RegressionTree[] = [];

  for (let t = 0; t < settings.nTrees; t++) {
    for (let i = 0; i < rowCount; i++) {
      const p = sigmoid(margins[i] as number);
      gradients[i] = p - (labels[i] as number);
      hessians[i] = Math.max(p * (1 - p), 1e-12);
    }
    const sampledRows = Uint32Array.from(shuffleInPlace(allRows.slice(), random).slice(0, sampledRowCount)).sort();
    const sampledFeatures = shuffleInPlace(allFeatures.slice(), random)
      .slice(0, sampledFeatureCount)
      .sort((a, b) => a - b);
    const tree = growTree(
      { binned, rowCount, thresholds, gradients, hessians, rows: sampledRows, features: sampledFeatures },
      {
        maxDepth: settings.maxDepth,
        minChildWeight: settings.minChildWeight,
        lambda: settings.lambda,
        shrinkage: settings.learningRate,
      },
    );
    trees.push(tree);
    for (let i = 0; i < rowCount; i++)
      margins[i] = (margins[i] as number) + (tree.value[leafOf(tree, rows[i] as readonly number[])] as number);
  }
  if (!margins.every(Number.isFinite)) throw new ModelTrainingError("gbdt: training diverged (non-finite margins)");
  return { algorithm: "gbdt", featureCount, baseScore, trees, options: settings };
}

export function gbdtMargin(model: GbdtModel, row: readonly number[]): number {
  return model.trees.reduce((margin, tree) => margin + (tree.value[leafOf(tree, row)] as number), model.baseScore);
}

export function gbdtClassifier(model: GbdtModel): BinaryClassifier {
  return { predictProbabilities: (rows) => rows.map((row) => sigmoid(gbdtMargin(model, row))) };
}

/**
 * Tree-path (Saabas) contributions to the margin (log-odds): walking each tree from the root, the
 * change in node value at every split is credited to the split's feature. `bias + Σ contributions`
 * equals the model's margin for the row exactly.
 */
export function gbdtContributions(model: GbdtModel, row: readonly number[]): { bias: number; contributions: number[] } {
  const contributions = new Array<number>(model.featureCount).fill(0);
  let bias = model.baseScore;
  for (const tree of model.trees) {
    let node = 0;
    bias += tree.value[0] as number;
    while ((tree.feature[node] as number) >= 0) {
      const feature = tree.feature[node] as number;
      const child =
        (row[feature] as number) < (tree.threshold[node] as number)
          ? (tree.left[node] as number)
          : (tree.right[node] as number);
      contributions[feature] =
        (contributions[feature] as number) + (tree.value[child] as number) - (tree.value[node] as number);
      node = child;
    }
  }
  return { bias, contributions };
}
