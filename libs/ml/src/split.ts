import { MlError } from "./errors.js";
import { seededRandom, shuffleInPlace } from "./random.js";

/** Row indices of a training and a validation split. */
export interface Split {
  readonly train: number[];
  readonly validation: number[];
}

/**
 * Stratified random split: each class contributes `validationFraction` of its rows to validation,
 * chosen by a seeded shuffle, so the same labels and seed always give the same split.
 * Both sides are returned in ascending row order.
 */
export function stratifiedSplit(labels: readonly number[], validationFraction: number, seed: number): Split {
  assertFraction(validationFraction);
  const random = seededRandom(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [0, 1]) {
    const rows = shuffleInPlace(
      labels.flatMap((value, index) => (value === label ? [index] : [])),
      random,
    );
    const validationCount = Math.round(rows.length * validationFraction);
    validation.push(...rows.slice(0, validationCount));
    train.push(...rows.slice(validationCount));
  }
  if (train.length === 0 || validation.length === 0) {
    throw new MlError(
      "TOO_FEW_ROWS",
      `Cannot split ${labels.length} rows into training and validation at ${validationFraction}`,
    );
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

/**
 * Time-based split for stream data: the latest `validationFraction` of rows (by timestamp) are the
 * validation set, everything earlier trains, so a model is always validated on data from after its
 * training window. Rows with equal timestamps stay on the same side.
 */
export function timeSplit(timestamps: readonly (number | Date)[], validationFraction: number): Split {
  assertFraction(validationFraction);
  const times = timestamps.map((t) => (t instanceof Date ? t.getTime() : t));
  times.forEach((time, index) => {
    if (!Number.isFinite(time)) throw new MlError("TOO_FEW_ROWS", `Timestamp of row ${index} is not a valid time`);
  });
  const order = times.map((_, index) => index).sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  let cut = order.length - Math.round(order.length * validationFraction);
  // Move the cut back so that one timestamp never lands on both sides.
  while (cut > 0 && cut < order.length && times[order[cut - 1] as number] === times[order[cut] as number]) cut--;
  const train = order.slice(0, cut);
  const validation = order.slice(cut);
  if (train.length === 0 || validation.length === 0) {
    throw new MlError(
      "TOO_FEW_ROWS",
      `Cannot split ${times.length} rows by time into training and validation at ${validationFraction}`,
    );
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

function assertFraction(fraction: number): void {
  if (!(fraction > 0 && fraction < 1))
    throw new RangeError(`validationFraction must be between 0 and 1, got ${fraction}`);
}
