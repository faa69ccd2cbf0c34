import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Preprocessing } from "./dataset.js";
import { MlError } from "./errors.js";
import type { ModelMetrics } from "./metrics.js";
import type { Algorithm, ModelKind, TrainedModel } from "./models/model-kinds.js";
import { isModelKind } from "./models/model-kinds.js";

export const MODEL_FILE_FORMAT = "cascade-ml-model";
export const MODEL_FILE_FORMAT_VERSION = 1;

/** How the validation rows were chosen, so `evaluate` can rebuild the same split. */
export interface SplitDescription {
  readonly method: "stratified";
  readonly validationFraction: number;
  readonly seed: number;
}

/** One saved model version: everything needed to score new rows and to compare versions. */
export interface ModelFile {
  readonly format: typeof MODEL_FILE_FORMAT;
  readonly formatVersion: typeof MODEL_FILE_FORMAT_VERSION;
  readonly kind: ModelKind;
  readonly algorithm: Algorithm;
  /** Unique version id, e.g. `churn-20250101T120000Z`. */
  readonly version: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly seed: number;
  readonly split: SplitDescription;
  readonly preprocessing: Preprocessing;
  readonly featureNames: readonly string[];
  readonly model: TrainedModel;
  /** Validation metrics of this model and of the logistic baseline trained in the same run. */
  readonly metrics: { readonly validation: ModelMetrics; readonly baseline: ModelMetrics };
  readonly training: { readonly rows: number; readonly durationMs: number };
}

/** JSON has no NaN: metrics that are undefined (one class absent) are written as null. */
function toJson(file: ModelFile): string {
  return JSON.stringify(file, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? null : value,
  );
}

/**
 * Writes a model version atomically: to a temporary file beside the target, then renamed over it,
 * so a crash or error never leaves a half-written model file.
 */
export async function saveModelFile(path: string, file: ModelFile): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(temporary, toJson(file), { encoding: "utf8", flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Parses and checks a model file's shape; throws MODEL_FILE_INVALID naming the problem. */
export function parseModelFile(text: string, source = "model file"): ModelFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MlError(
      "MODEL_FILE_INVALID",
      `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const file = value as Partial<ModelFile> | null;
  const problem =
    typeof file !== "object" || file === null
      ? "not an object"
      : file.format !== MODEL_FILE_FORMAT
        ? `format is ${JSON.stringify(file.format)}, expected "${MODEL_FILE_FORMAT}"`
        : file.formatVersion !== MODEL_FILE_FORMAT_VERSION
          ? `formatVersion ${String(file.formatVersion)} is not supported (expected ${MODEL_FILE_FORMAT_VERSION})`
          : typeof file.kind !== "string" || !isModelKind(file.kind)
            ? `kind ${JSON.stringify(file.kind)} is unknown`
            : typeof file.model !== "object" || file.model === null || file.model.algorithm !== file.algorithm
              ? "model is missing or does not match algorithm"
              : typeof file.preprocessing !== "object" ||
                  file.preprocessing === null ||
                  !Array.isArray(file.preprocessing.columns)
                ? "preprocessing is missing"
                : typeof file.split !== "object" || file.split === null
                  ? "split is missing"
                  : undefined;
  if (problem !== undefined) throw new MlError("MODEL_FILE_INVALID", `${source}: ${problem}`);
  return file as ModelFile;
}

export async function loadModelFile(path: string): Promise<ModelFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MlError(
      "MODEL_FILE_INVALID",
      `Cannot read model file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseModelFile(text, path);
}
