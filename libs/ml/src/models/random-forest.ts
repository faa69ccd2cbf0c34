import { RandomForestRegression } from "ml-random-forest";
import { MlError, ModelTrainingError } from "../errors.js";
import type { BinaryClassifier } from "./classifier.js";
import type { FeatureThresholds } from "./histogram-tree.js";
import { binOf, fitThresholds } from "./histogram-tree.js";

export interface RandomForestOptions {
  /** Trees; default 60. */
  readonly nEstimators?: number;
  /** Share of features each tree is grown on (ml-random-forest samples features per tree); default 0.6. */
  readonly maxFeatures?: number;
  /** Depth limit of each tree; default 8. */
  readonly maxDepth?: number;
  /** A node with at most this many rows becomes a leaf; children keep at least half of it; default 20. */
  readonly minNumSamples?: number;
  /** Seed of row bagging and feature sampling (32-bit integer); default 42. */
  readonly seed?: number;
  /** Quantile bins per feature (2..255); default 64. */
  readonly maxBins?: number;
}

/**
 * The forest as ml-random-forest's JSON (`RandomForestRegression#toJSON`, with tree nodes reduced to
 * what `load` reads), and the bin thresholds that turn encoded features into the bin indices it splits on.
 */
export interface RandomForestModel {
  readonly algorithm: "random_forest";
  readonly thresholds: FeatureThresholds;
  readonly forest: unknown;
}

/**
 * Marker put in ml-cart's `splitFunction` option. Trees that carry it grow with `trainBinnedRoot`
 * below; any other ml-cart user in the process keeps the library's own behaviour.
 */
const BINNED_SCAN = "cascade-binned-scan";

/** The parts of ml-cart's (unexported) TreeNode class that the binned growth below reads and writes. */
interface CartNode {
  splitFunction: string;
  minNumSamples: number;
  maxDepth: number;
  gainThreshold: number;
  splitColumn?: number;
  splitValue?: number;
  gain?: number;
  numberSamples?: number;
  distribution?: number;
  left?: CartNode;
  right?: CartNode;
  train(x: CartMatrix, y: number[], depth: number, parentGain?: number): void;
}
interface CartMatrix {
  readonly columns: number;
  getColumn(index: number): number[];
}
interface SplitChoice {
  error: number;
  column: number;
  threshold: number;
}

/**
 * Best split of `rows` on bin-index columns: sums count, Σy and Σy² per bin in one pass per column and
 * scans bin boundaries for the lowest total squared error of the two children (ml-cart's regression
 * criterion). Children keep at least ⌈minNumSamples / 2⌉ rows. Undefined when no split is allowed.
 */
function bestBinnedSplit(
  columns: readonly number[][],
  y: readonly number[],
  rows: Uint32Array,
  minNumSamples: number,
): SplitChoice | undefined {
  const n = rows.length;
  const minLeaf = Math.max(1, Math.ceil(minNumSamples / 2));
  let sum = 0;
  let sumSquares = 0;
  for (const row of rows) {
    const label = y[row] as number;
    sum += label;
    sumSquares += label * label;
  }
  if (sumSquares - (sum * sum) / n <= 1e-12) return undefined; // pure node
  let best: SplitChoice | undefined;
  const counts = new Float64Array(256);
  const sums = new Float64Array(256);
  const squares = new Float64Array(256);
  columns.forEach((bins, column) => {
    counts.fill(0);
    sums.fill(0);
    squares.fill(0);
    let maxBin = 0;
    for (const row of rows) {
      const bin = bins[row] as number;
      const label = y[row] as number;
      counts[bin] = (counts[bin] as number) + 1;
      sums[bin] = (sums[bin] as number) + label;
      squares[bin] = (squares[bin] as number) + label * label;
      if (bin > maxBin) maxBin = bin;
    }
    let leftCount = 0;
    let leftSum = 0;
    let leftSquares = 0;
    for (let bin = 0; bin < maxBin; bin++) {
      if (counts[bin] === 0) continue;
      leftCount += counts[bin] as number;
      leftSum += sums[bin] as number;
      leftSquares += squares[bin] as number;
      const rightCount = n - leftCount;
      if (leftCount < minLeaf || rightCount < minLeaf) continue;
      const rightSum = sum - leftSum;
      const error =
        leftSquares - (leftSum * leftSum) / leftCount + (sumSquares - leftSquares) - (rightSum * rightSum) / rightCount;
      if (best === undefined || error < best.error) {
        let nextBin = bin + 1;
        while (counts[nextBin] === 0) nextBin++;
        best = { error, column, threshold: (bin + nextBin) / 2 };
      }
    }
  });
  return best;
}

/**
 * Grows an ml-cart TreeNode (and its children, same class) with the same rules as ml-cart's `train`:
 * a node of at most minNumSamples rows, at maxDepth, or whose best split does not improve is a leaf
 * holding the mean label; otherwise it splits at `column < threshold`. ml-cart's fields are set exactly
 * as its own training sets them, so ml-cart's `predict`, `toJSON` and `load` work unchanged.
 */
function growBinnedNode(
  node: CartNode,
  columns: readonly number[][],
  y: readonly number[],
  rows: Uint32Array,
  depth: number,
  parentError?: number,
): void {
  const makeLeaf = (): void => {
    let total = 0;
    for (const row of rows) total += y[row] as number;
    node.distribution = total / rows.length;
  };
  if (rows.length <= node.minNumSamples) return makeLeaf();
  const split = bestBinnedSplit(columns, y, rows, node.minNumSamples);
  if (split === undefined || depth >= node.maxDepth || split.error === parentError) return makeLeaf();
  node.splitColumn = split.column;
  node.splitValue = split.threshold;
  node.gain = split.error;
  node.numberSamples = rows.length;
  const bins = columns[split.column] as number[];
  const leftRows = rows.filter((row) => (bins[row] as number) < split.threshold);
  const rightRows = rows.filter((row) => (bins[row] as number) >= split.threshold);
  const NodeClass = node.constructor as new (parent: CartNode) => CartNode;
  node.left = new NodeClass(node);
  node.right = new NodeClass(node);
  growBinnedNode(node.left, columns, y, leftRows, depth + 1, split.error);
  growBinnedNode(node.right, columns, y, rightRows, depth + 1, split.error);
}

/**
 * Why this exists: ml-cart (which ml-random-forest grows its trees with) evaluates every label change in
 * sorted order as a candidate split and rescans all rows for each (O(n²) per feature per node), and copies
 * rows into new ml-matrix objects at every node: about 2.5 s per tree on the 5.6k-row Telco training
 * split. The forest here is trained on bin indices (integers 0..255, see `toBins`), so a node's best split
 * comes from per-bin sums in one pass over its rows (the histogram method of LightGBM), on column arrays
 * and row-index lists without copying. It considers every boundary between occupied bins, so its split is
 * at least as good as the best of ml-cart's candidates on the same bins.
 */
function trainBinnedRoot(this: CartNode, x: CartMatrix, y: number[], depth: number): void {
  const columns = Array.from({ length: x.columns }, (_, j) => x.getColumn(j));
  growBinnedNode(this, columns, y, Uint32Array.from(y.keys()), depth);
}

/** Encoded features → bin indices, the representation the forest is trained and evaluated on. */
function toBins(rows: readonly (readonly number[])[], thresholds: FeatureThresholds): number[][] {
  return rows.map((row) => row.map((value, f) => binOf(value, thresholds[f] ?? [])));
}

/** Keeps only the node fields `DecisionTreeRegression.load` reads (split or leaf value); ~5× smaller JSON. */
function compactNode(node: Record<string, unknown>): Record<string, unknown> {
  if (node["distribution"] !== undefined) return { distribution: node["distribution"] };
  return {
    splitColumn: node["splitColumn"],
    splitValue: node["splitValue"],
    left: compactNode(node["left"] as Record<string, unknown>),
    right: compactNode(node["right"] as Record<string, unknown>),
  };
}

function compactForestJson(json: unknown): unknown {
  const forest = JSON.parse(JSON.stringify(json)) as { baseModel: { estimators: { root: Record<string, unknown> }[] } };
  for (const estimator of forest.baseModel.estimators) estimator.root = compactNode(estimator.root);
  return forest;
}

let installed = false;

/** Installs `trainBinnedRoot` for trees marked BINNED_SCAN on the TreeNode class ml-random-forest uses. */
function installSortedScanSplit(): void {
  if (installed) return;
  const probe = new RandomForestRegression({
    nEstimators: 1,
    maxFeatures: 1.0,
    seed: 1,
    replacement: false,
    useSampleBagging: false,
    noOOB: true,
    treeOptions: {},
  });
  probe.train([[0], [1], [2], [3], [4], [5]], [0, 0, 0, 1, 1, 1]);
  const estimators = (probe as unknown as { estimators: { root: object }[] }).estimators;
  const nodePrototype = Object.getPrototypeOf(estimators[0]?.root) as CartNode;
  const original = nodePrototype.train;
  nodePrototype.train = function train(
    this: CartNode,
    x: CartMatrix,
    y: number[],
    depth: number,
    parentGain?: number,
  ): void {
    if (this.splitFunction === BINNED_SCAN) trainBinnedRoot.call(this, x, y, depth);
    else original.call(this, x, y, depth, parentGain);
  };
  installed = true;
}

/**
 * Random forest (ml-random-forest) for churn. It is `RandomForestRegression` on 0/1 labels: each tree
 * leaf holds the churn rate of its rows and the forest averages them, a smooth probability. (The
 * classifier's probability is the share of trees voting positive, which is coarse, ties many rows and
 * ranks worse.) Rows are bagged with replacement; features are sampled per tree.
 */
export function trainRandomForest(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: RandomForestOptions = {},
): RandomForestModel {
  installSortedScanSplit();
  const featureCount = rows[0]?.length ?? 0;
  if (rows.length < 2 || featureCount === 0)
    throw new ModelTrainingError(`random forest: needs rows and features, got ${rows.length}×${featureCount}`);
  rows.forEach((row, i) => {
    if (row.length !== featureCount || !row.every(Number.isFinite))
      throw new ModelTrainingError(`random forest: row ${i} is not ${featureCount} finite numbers`);
  });
  const maxFeatures = options.maxFeatures ?? 0.6;
  const forest = new RandomForestRegression({
    nEstimators: options.nEstimators ?? 60,
    // ml-random-forest reads 1.0 as "all features"; fewer than one feature is not allowed.
    maxFeatures: Math.max(maxFeatures, 1 / featureCount),
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: options.seed ?? 42,
    selectionMethod: "mean",
    treeOptions: {
      maxDepth: options.maxDepth ?? 8,
      minNumSamples: options.minNumSamples ?? 20,
      splitFunction: BINNED_SCAN,
    },
  });
  const thresholds = fitThresholds(rows, featureCount, Math.min(255, Math.max(2, options.maxBins ?? 64)));
  try {
    forest.train(toBins(rows, thresholds), [...labels]);
  } catch (error) {
    throw new ModelTrainingError(
      `random forest failed to train: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { algorithm: "random_forest", thresholds, forest: compactForestJson(forest.toJSON()) };
}

export function randomForestClassifier(model: RandomForestModel): BinaryClassifier {
  let forest: RandomForestRegression;
  try {
    forest = RandomForestRegression.load(model.forest as Parameters<typeof RandomForestRegression.load>[0]);
  } catch (error) {
    throw new MlError(
      "MODEL_FILE_INVALID",
      `random forest JSON could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
  return {
    predictProbabilities: (rows) =>
      rows.length === 0 ? [] : forest.predict(toBins(rows, model.thresholds)).map((p) => Math.min(1, Math.max(0, p))),
  };
}
