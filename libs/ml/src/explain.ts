import type { ColumnEncoding, Preprocessing } from "./dataset.js";
import type { BinaryClassifier } from "./models/classifier.js";

/** How much one source column moved a single prediction. */
export interface FeatureContribution {
  readonly column: string;
  /** p(row) − p(row with this column at its typical value); positive raises the probability. */
  readonly contribution: number;
}

/** Encoded feature vector of a column's typical value: the training median, or the most frequent category. */
function typicalFeatures(encoding: ColumnEncoding): number[] {
  if (encoding.kind === "numeric") return encoding.missingIndicator ? [encoding.fillValue, 0] : [encoding.fillValue];
  return encoding.categories.map((_, index) => (index === 0 ? 1 : 0));
}

/**
 * Per-column contributions to one prediction by perturbation: each source column in turn (all its
 * one-hot features together) is replaced by its typical training value, and the drop in probability is
 * that column's contribution. Model-agnostic (works the same for forest, boosting and logistic), costs
 * one extra prediction per column, and is in probability units. It measures each column alone, so
 * contributions do not sum to the prediction when columns interact.
 */
export function explainPrediction(
  classifier: BinaryClassifier,
  preprocessing: Preprocessing,
  encodedRow: readonly number[],
  topN = 5,
): FeatureContribution[] {
  const perturbed: number[][] = [];
  let offset = 0;
  for (const encoding of preprocessing.columns) {
    const typical = typicalFeatures(encoding);
    const row = [...encodedRow];
    row.splice(offset, typical.length, ...typical);
    perturbed.push(row);
    offset += typical.length;
  }
  const [base, ...others] = classifier.predictProbabilities([[...encodedRow], ...perturbed]);
  return preprocessing.columns
    .map((encoding, index) => ({ column: encoding.column, contribution: (base as number) - (others[index] as number) }))
    .filter((item) => item.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, topN);
}
