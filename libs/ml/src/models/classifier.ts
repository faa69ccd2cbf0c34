/** A trained binary classifier over encoded feature rows. */
export interface BinaryClassifier {
  /** Probability of class 1 for each encoded (unscaled) feature row. */
  predictProbabilities(rows: readonly (readonly number[])[]): number[];
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
