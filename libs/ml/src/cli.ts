import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseCsv } from "./csv.js";
import { MlError } from "./errors.js";
import type { ModelMetrics } from "./metrics.js";
import { loadModelFile, saveModelFile } from "./model-file.js";
import { MODEL_KINDS, isModelKind } from "./models/model-kinds.js";
import { evaluateModelFile, trainModelVersion } from "./training.js";

/** Where the CLI prints; tests capture it. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = `Usage:
  ml train --model <${MODEL_KINDS.join("|")}> --csv <file> --label <column> [--id <column>]
           [--out <file>] [--seed <int>] [--validation-fraction <0..1>]
  ml evaluate --model-file <file> --csv <file> [--label <column>] [--id <column>]

Both print validation metrics of the model and of a logistic-regression baseline trained in the same
run, and end with the line: auc=<model ROC AUC> baseline=<baseline ROC AUC>`;

class UsageError extends Error {}

const OPTIONS = {
  model: { type: "string" },
  csv: { type: "string" },
  label: { type: "string" },
  id: { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  "validation-fraction": { type: "string" },
  "model-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

function optionalNumber(
  values: Record<string, unknown>,
  name: string,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !check(number))
    throw new UsageError(`--${name} must be ${rule}, got "${String(value)}"`);
  return number;
}

function metricsLine(name: string, metrics: ModelMetrics): string {
  return (
    `${name.padEnd(8)} roc_auc=${metrics.rocAuc.toFixed(4)} pr_auc=${metrics.prAuc.toFixed(4)} ` +
    `log_loss=${metrics.logLoss.toFixed(4)} brier=${metrics.brier.toFixed(4)} ece=${metrics.expectedCalibrationError.toFixed(4)}`
  );
}

async function readTable(path: string) {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MlError(
      "EMPTY_DATASET",
      `Cannot read CSV ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return parseCsv(text);
}

async function train(values: Record<string, unknown>, io: CliOutput, cwd: string): Promise<void> {
  const kind = required(values, "model");
  if (!isModelKind(kind)) throw new UsageError(`--model must be one of ${MODEL_KINDS.join(", ")}, got "${kind}"`);
  const csvPath = resolve(cwd, required(values, "csv"));
  const labelColumn = required(values, "label");
  const seed = optionalNumber(
    values,
    "seed",
    (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31,
    "an integer in [0, 2^31)",
  );
  const validationFraction = optionalNumber(values, "validation-fraction", (n) => n > 0 && n < 1, "between 0 and 1");
  const table = await readTable(csvPath);
  const outcome = trainModelVersion(table, {
    kind,
    labelColumn,
    idColumn: values["id"] as string | undefined,
    seed,
    validationFraction,
  });
  const { modelFile } = outcome;
  const outPath = resolve(
    cwd,
    typeof values["out"] === "string" ? values["out"] : `.cascade/models/${modelFile.version}.json`,
  );
  await saveModelFile(outPath, modelFile);
  io.out(
    `model=${kind} algorithm=${modelFile.algorithm} version=${modelFile.version} train_rows=${modelFile.training.rows} ` +
      `validation_rows=${outcome.metrics.rows} features=${modelFile.featureNames.length} train_ms=${modelFile.training.durationMs}`,
  );
  io.out(metricsLine("model", outcome.metrics));
  io.out(metricsLine("baseline", outcome.baseline));
  io.out(`saved=${outPath}`);
  io.out(`auc=${outcome.metrics.rocAuc.toFixed(4)} baseline=${outcome.baseline.rocAuc.toFixed(4)}`);
}

async function evaluate(values: Record<string, unknown>, io: CliOutput, cwd: string): Promise<void> {
  const modelFile = await loadModelFile(resolve(cwd, required(values, "model-file")));
  const table = await readTable(resolve(cwd, required(values, "csv")));
  const { metrics, baseline } = evaluateModelFile(modelFile, table, {
    labelColumn: values["label"] as string | undefined,
    idColumn: values["id"] as string | undefined,
  });
  io.out(
    `model=${modelFile.kind} algorithm=${modelFile.algorithm} version=${modelFile.version} validation_rows=${metrics.rows}`,
  );
  io.out(metricsLine("model", metrics));
  io.out(metricsLine("baseline", baseline));
  io.out(`auc=${metrics.rocAuc.toFixed(4)} baseline=${baseline.rocAuc.toFixed(4)}`);
}

/**
 * Runs the ML command line and returns the exit code: 0 done, 1 bad data or failed training
 * (message names the column and the reason), 2 bad usage.
 */
export async function main(
  argv: readonly string[],
  io: CliOutput = { out: console.log, err: console.error },
  cwd = process.cwd(),
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({ args: [...rest], options: OPTIONS, strict: true, allowPositionals: false }));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (values["help"] === true) {
      io.out(USAGE);
      return 0;
    }
    if (command === "train") await train(values, io, cwd);
    else if (command === "evaluate") await evaluate(values, io, cwd);
    else throw new UsageError(`unknown command "${command}"`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof MlError) {
      io.err(`error [${error.code}]${error.column === undefined ? "" : ` column "${error.column}"`}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
