/**
 * Binary classification metrics. `labels` are 0/1, `scores` are predicted probabilities of class 1
 * (ROC AUC and average precision only need a ranking).
 */

function assertSameLength(labels: readonly number[], scores: readonly number[]): void {
  if (labels.length !== scores.length)
    throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  if (labels.length === 0) throw new RangeError("metrics need at least one prediction");
}

/**
 * ROC AUC as the Mann–Whitney rank statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (average ranks). NaN when one class is absent.
 */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  assertSameLength(labels, scores);
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let positiveRankSum = 0;
  let positives = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k] as number] === 1) {
        positiveRankSum += averageRank;
        positives++;
      }
    }
    start = end + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * PR AUC as average precision: sum over distinct score thresholds (high to low) of
 * (recall gain) × (precision at that threshold); tied scores form one threshold.
 */
export function averagePrecision(labels: readonly number[], scores: readonly number[]): number {
  assertSameLength(labels, scores);
  const totalPositives = labels.reduce((sum, label) => sum + label, 0);
  if (totalPositives === 0) return Number.NaN;
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let sum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    for (let k = start; k <= end; k++) truePositives += labels[order[k] as number] as number;
    seen += end - start + 1;
    const recall = truePositives / totalPositives;
    sum += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
    start = end + 1;
  }
  return sum;
}

/** Mean binary cross-entropy; probabilities are clipped to [eps, 1 - eps] so a confident miss is finite. */
export function logLoss(labels: readonly number[], probabilities: readonly number[], eps = 1e-15): number {
  assertSameLength(labels, probabilities);
  let total = 0;
  labels.forEach((label, i) => {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i] as number));
    total -= label === 1 ? Math.log(p) : Math.log(1 - p);
  });
  return total / labels.length;
}

/** Brier score: mean squared difference between the probability and the 0/1 outcome (lower is better). */
export function brierScore(labels: readonly number[], probabilities: readonly number[]): number {
  assertSameLength(labels, probabilities);
  return labels.reduce((sum, label, i) => sum + ((probabilities[i] as number) - label) ** 2, 0) / labels.length;
}

/** One bin of a reliability diagram: predictions in [lower, upper), their mean and the observed rate. */
export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Reliability bins of equal width over [0, 1] (empty bins omitted); a probability of 1 falls in the last bin. */
export function calibrationBins(
  labels: readonly number[],
  probabilities: readonly number[],
  binCount = 10,
): CalibrationBin[] {
  assertSameLength(labels, probabilities);
  const sums = Array.from({ length: binCount }, () => ({ count: 0, predicted: 0, positives: 0 }));
  labels.forEach((label, i) => {
    const p = probabilities[i] as number;
    const bin = sums[Math.min(binCount - 1, Math.max(0, Math.floor(p * binCount)))] as (typeof sums)[number];
    bin.count++;
    bin.predicted += p;
    bin.positives += label;
  });
  return sums.flatMap((bin, index) =>
    bin.count === 0
      ? []
      : [
          {
            lower: index / binCount,
            upper: (index + 1) / binCount,
            count: bin.count,
            meanPredicted: bin.predicted / bin.count,
            observedRate: bin.positives / bin.count,
          },
        ],
  );
}

/** Expected calibration error: bin-size-weighted mean |mean predicted − observed rate|. */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  return total === 0
    ? 0
    : bins.reduce((sum, bin) => sum + (bin.count / total) * Math.abs(bin.meanPredicted - bin.observedRate), 0);
}

/** Metrics stored with every model version (validation split). */
export interface ModelMetrics {
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly expectedCalibrationError: number;
  readonly calibration: readonly CalibrationBin[];
  readonly rows: number;
  readonly positiveRate: number;
}

export function computeMetrics(labels: readonly number[], probabilities: readonly number[]): ModelMetrics {
  const calibration = calibrationBins(labels, probabilities);
  return {
    rocAuc: rocAuc(labels, probabilities),
    prAuc: averagePrecision(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    brier: brierScore(labels, probabilities),
    expectedCalibrationError: expectedCalibrationError(calibration),
    calibration,
    rows: labels.length,
    positiveRate: labels.reduce((sum, label) => sum + label, 0) / labels.length,
  };
}

/** Top-k items by score (ties keep input order). */
function topK(scores: readonly number[], k: number): number[] {
  return scores
    .map((_, i) => i)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
    .slice(0, Math.max(0, k));
}

/** Share of the k highest-scored items that are relevant (label 1); for recommendations. */
export function precisionAtK(labels: readonly number[], scores: readonly number[], k: number): number {
  assertSameLength(labels, scores);
  const top = topK(scores, k);
  return top.length === 0 ? 0 : top.reduce((sum, i) => sum + (labels[i] as number), 0) / k;
}

/** Share of all relevant items (label 1) found among the k highest-scored; NaN when none is relevant. */
export function recallAtK(labels: readonly number[], scores: readonly number[], k: number): number {
  assertSameLength(labels, scores);
  const relevant = labels.reduce((sum, label) => sum + label, 0);
  if (relevant === 0) return Number.NaN;
  return topK(scores, k).reduce((sum, i) => sum + (labels[i] as number), 0) / relevant;
}
