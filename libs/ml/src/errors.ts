/** Why a data set, a training run or a model file was rejected. */
export type MlErrorCode =
  | "CSV_PARSE"
  | "EMPTY_DATASET"
  | "UNKNOWN_COLUMN"
  | "MISSING_LABEL"
  | "INVALID_LABEL_VALUE"
  | "CONSTANT_LABEL"
  | "NON_NUMERIC_VALUE"
  | "NO_FEATURES"
  | "TOO_FEW_ROWS"
  | "TRAINING_FAILED"
  | "MODEL_FILE_INVALID";

/**
 * The single typed error of libs/ml. `column` names the offending CSV column when there is one,
 * so callers (CLI, predictions service) can report it without parsing the message.
 */
export class MlError extends Error {
  override readonly name = "MlError";

  constructor(
    readonly code: MlErrorCode,
    message: string,
    readonly column?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when a model fails to train; nothing is written when this is thrown. */
export class ModelTrainingError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TRAINING_FAILED", message, undefined, options);
  }
}
