import { ModelTrainingError } from "../errors.js";
import { sigmoid } from "./classifier.js";

export interface LogisticRegressionOptions {
  /** L2 penalty on the weights (not the intercept), on the summed-loss scale; default 1. */
  readonly l2?: number;
  /** Newton iterations at most; default 25. */
  readonly maxIterations?: number;
  /** Stop when the largest weight change is below this; default 1e-6. */
  readonly tolerance?: number;
}

/** Fitted weights of an L2-regularised logistic regression (intercept separate). */
export interface LogisticRegressionModel {
  readonly intercept: number;
  readonly weights: readonly number[];
}

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), exact and deterministic.
 * Expects standardised features (see `standardize`), which keeps the Hessian well conditioned and
 * makes one penalty fit every feature. It is the baseline every tree model is compared with.
 */
export function trainLogisticRegression(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: LogisticRegressionOptions = {},
): LogisticRegressionModel {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 25;
  const tolerance = options.tolerance ?? 1e-6;
  const n = rows.length;
  if (n === 0) throw new ModelTrainingError("logistic regression: no training rows");
  const d = (rows[0]?.length ?? 0) + 1; // parameter 0 is the intercept
  const beta = new Float64Array(d);

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gradient = new Float64Array(d);
    const hessian = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const row = rows[i] as readonly number[];
      let z = beta[0] as number;
      for (let j = 1; j < d; j++) z += (beta[j] as number) * (row[j - 1] as number);
      const p = sigmoid(z);
      const residual = p - (labels[i] as number);
      const weight = Math.max(p * (1 - p), 1e-10);
      for (let a = 0; a < d; a++) {
        const xa = a === 0 ? 1 : (row[a - 1] as number);
        gradient[a] = (gradient[a] as number) + residual * xa;
        if (xa === 0) continue;
        for (let b = a; b < d; b++) {
          const xb = b === 0 ? 1 : (row[b - 1] as number);
          hessian[a * d + b] = (hessian[a * d + b] as number) + weight * xa * xb;
        }
      }
    }
    for (let a = 1; a < d; a++) {
      gradient[a] = (gradient[a] as number) + l2 * (beta[a] as number);
      hessian[a * d + a] = (hessian[a * d + a] as number) + l2;
    }
    hessian[0] = (hessian[0] as number) + 1e-8;
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) hessian[a * d + b] = hessian[b * d + a] as number;

    const step = solveSymmetricPositiveDefinite(hessian, gradient, d);
    let largestChange = 0;
    for (let j = 0; j < d; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      largestChange = Math.max(largestChange, Math.abs(step[j] as number));
    }
    if (!beta.every(Number.isFinite)) throw new ModelTrainingError("logistic regression diverged (non-finite weights)");
    if (largestChange < tolerance) break;
  }
  return { intercept: beta[0] as number, weights: Array.from(beta.subarray(1)) };
}

export function predictLogisticRegression(
  model: LogisticRegressionModel,
  rows: readonly (readonly number[])[],
): number[] {
  return rows.map((row) =>
    sigmoid(row.reduce((z, value, j) => z + value * (model.weights[j] as number), model.intercept)),
  );
}

/** Solves A x = b for symmetric positive definite A (row-major d×d) by Cholesky decomposition. */
function solveSymmetricPositiveDefinite(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * d + k] as number) * (l[j * d + k] as number);
      if (i === j) {
        if (sum <= 0) throw new ModelTrainingError("logistic regression: Hessian is not positive definite");
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / (l[j * d + j] as number);
      }
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * d + k] as number) * (y[k] as number);
    y[i] = sum / (l[i * d + i] as number);
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < d; k++) sum -= (l[k * d + i] as number) * (x[k] as number);
    x[i] = sum / (l[i * d + i] as number);
  }
  return x;
}
