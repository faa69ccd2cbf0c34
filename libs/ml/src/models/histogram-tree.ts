/**
 * A small histogram-based regression tree for gradient boosting (second-order, like XGBoost/LightGBM):
 * features are bucketed into at most `maxBins` quantile bins once, each node finds its best split by
 * scanning per-bin sums of gradients and hessians, and a node's value is the Newton step −G/(H+λ).
 * Training cost per tree level is O(rows × features), independent of the number of distinct values.
 */

/** Split thresholds per feature, ascending; a value goes left of threshold t when value < t. */
export type FeatureThresholds = readonly (readonly number[])[];

/**
 * A fitted tree in flat arrays. Node 0 is the root; a leaf has feature −1. `value` is kept for
 * internal nodes too, so a prediction can be attributed to features along its path.
 */
export interface RegressionTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

/** Chooses up to `maxBins − 1` thresholds per feature: midpoints of distinct values, or quantiles when there are many. */
export function fitThresholds(rows: readonly (readonly number[])[], featureCount: number, maxBins: number): number[][] {
  const thresholds: number[][] = [];
  for (let f = 0; f < featureCount; f++) {
    const sorted = rows.map((row) => row[f] as number).sort((a, b) => a - b);
    const distinct = sorted.filter((value, i) => i === 0 || value !== sorted[i - 1]);
    if (distinct.length <= maxBins) {
      thresholds.push(distinct.slice(1).map((value, i) => ((distinct[i] as number) + value) / 2));
      continue;
    }
    const cuts: number[] = [];
    for (let q = 1; q < maxBins; q++) {
      const cut = sorted[Math.floor((q * sorted.length) / maxBins)] as number;
      if (cut > (sorted[0] as number) && cut !== cuts[cuts.length - 1]) cuts.push(cut);
    }
    thresholds.push(cuts);
  }
  return thresholds;
}

/** Number of thresholds ≤ value: the bin a value falls into. */
export function binOf(value: number, thresholds: readonly number[]): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((thresholds[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Bins every value once; column-major (feature f of row i at f × rowCount + i). */
export function binRows(rows: readonly (readonly number[])[], thresholds: FeatureThresholds): Uint8Array {
  const rowCount = rows.length;
  const binned = new Uint8Array(rowCount * thresholds.length);
  thresholds.forEach((featureThresholds, f) => {
    for (let i = 0; i < rowCount; i++)
      binned[f * rowCount + i] = binOf((rows[i] as readonly number[])[f] as number, featureThresholds);
  });
  return binned;
}

export interface TreeGrowthOptions {
  readonly maxDepth: number;
  /** Minimum hessian sum in each child (≈ rows for a balanced node). */
  readonly minChildWeight: number;
  /** L2 regularisation λ on node values. */
  readonly lambda: number;
  /** Scales every node value (the boosting learning rate). */
  readonly shrinkage: number;
}

export interface TreeGrowthInput {
  readonly binned: Uint8Array;
  readonly rowCount: number;
  readonly thresholds: FeatureThresholds;
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  /** Rows this tree learns from (a subsample). */
  readonly rows: Uint32Array;
  /** Features this tree may split on (a column subsample). */
  readonly features: readonly number[];
}

export function growTree(input: TreeGrowthInput, options: TreeGrowthOptions): RegressionTree {
  const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const { binned, rowCount, thresholds, gradients, hessians } = input;
  const { lambda, minChildWeight } = options;

  const grow = (rows: Uint32Array, depth: number): number => {
    let g = 0;
    let h = 0;
    for (const row of rows) {
      g += gradients[row] as number;
      h += hessians[row] as number;
    }
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push((-g / (h + lambda)) * options.shrinkage);
    if (depth >= options.maxDepth || h < 2 * minChildWeight) return node;

    const parentScore = (g * g) / (h + lambda);
    let bestGain = 1e-12;
    let bestFeature = -1;
    let bestBin = -1;
    for (const f of input.features) {
      const binCount = (thresholds[f] as readonly number[]).length + 1;
      if (binCount < 2) continue;
      const gradSums = new Float64Array(binCount);
      const hessSums = new Float64Array(binCount);
      const offset = f * rowCount;
      for (const row of rows) {
        const bin = binned[offset + row] as number;
        gradSums[bin] = (gradSums[bin] as number) + (gradients[row] as number);
        hessSums[bin] = (hessSums[bin] as number) + (hessians[row] as number);
      }
      let gLeft = 0;
      let hLeft = 0;
      for (let bin = 0; bin < binCount - 1; bin++) {
        gLeft += gradSums[bin] as number;
        hLeft += hessSums[bin] as number;
        const hRight = h - hLeft;
        if (hLeft < minChildWeight || hRight < minChildWeight) continue;
        const gRight = g - gLeft;
        const gain = (gLeft * gLeft) / (hLeft + lambda) + (gRight * gRight) / (hRight + lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBin = bin;
        }
      }
    }
    if (bestFeature < 0) return node;

    const offset = bestFeature * rowCount;
    const leftRows = rows.filter((row) => (binned[offset + row] as number) <= bestBin);
    const rightRows = rows.filter((row) => (binned[offset + row] as number) > bestBin);
    tree.feature[node] = bestFeature;
    tree.threshold[node] = (thresholds[bestFeature] as readonly number[])[bestBin] as number;
    tree.left[node] = grow(leftRows, depth + 1);
    tree.right[node] = grow(rightRows, depth + 1);
    return node;
  };

  grow(input.rows, 0);
  return tree;
}

/** Index of the leaf a raw (unbinned) feature row reaches. */
export function leafOf(tree: RegressionTree, row: readonly number[]): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    node =
      (row[tree.feature[node] as number] as number) < (tree.threshold[node] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
  }
  return node;
}
