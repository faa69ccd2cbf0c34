import type { CsvTable } from "./csv.js";
import type { FeatureRecord, Preprocessing } from "./dataset.js";
import { encodeRecord, encodeTableRows, fitPreprocessing, readLabels, standardize } from "./dataset.js";
import type { FeatureContribution } from "./explain.js";
import { explainPrediction } from "./explain.js";
import type { ModelMetrics } from "./metrics.js";
import { computeMetrics } from "./metrics.js";
import type { ModelFile, SplitDescription } from "./model-file.js";
import { MODEL_FILE_FORMAT, MODEL_FILE_FORMAT_VERSION } from "./model-file.js";
import { predictLogisticRegression, trainLogisticRegression } from "./models/logistic-regression.js";
import type { ModelKind } from "./models/model-kinds.js";
import { ALGORITHM_OF_KIND, classifierOf, trainModelOfKind } from "./models/model-kinds.js";
import type { Split } from "./split.js";
import { stratifiedSplit } from "./split.js";

export interface TrainOptions {
  readonly kind: ModelKind;
  readonly labelColumn: string;
  readonly idColumn?: string | undefined;
  /** Seed of the split and of the model; default 42. */
  readonly seed?: number;
  /** Share of rows held out for validation; default 0.2. */
  readonly validationFraction?: number;
  /** Clock for the version id and created_at (tests pin it). */
  readonly now?: () => Date;
}

/** A trained model version (not yet written anywhere) and its metrics beside the baseline's. */
export interface TrainOutcome {
  readonly modelFile: ModelFile;
  readonly metrics: ModelMetrics;
  readonly baseline: ModelMetrics;
}

function splitOf(labels: readonly number[], description: SplitDescription): Split {
  return stratifiedSplit(labels, description.validationFraction, description.seed);
}

/** Fits preprocessing and L2 logistic regression on the training rows; metrics on the validation rows. */
export function evaluateBaseline(
  table: CsvTable,
  labels: readonly number[],
  split: Split,
  labelColumn: string,
  idColumn?: string,
): ModelMetrics {
  const preprocessing = fitPreprocessing(table, split.train, { labelColumn, idColumn });
  const model = trainLogisticRegression(
    standardize(preprocessing, encodeTableRows(preprocessing, table, split.train)),
    split.train.map((i) => labels[i] as number),
  );
  const probabilities = predictLogisticRegression(
    model,
    standardize(preprocessing, encodeTableRows(preprocessing, table, split.validation)),
  );
  return computeMetrics(
    split.validation.map((i) => labels[i] as number),
    probabilities,
  );
}

/**
 * Trains one model version in memory: stratified split, preprocessing fitted on the training rows,
 * the model of `kind`, and a logistic-regression baseline on the same split. Throws MlError on bad
 * data and ModelTrainingError when a model cannot be fitted; writes nothing.
 */
export function trainModelVersion(table: CsvTable, options: TrainOptions): TrainOutcome {
  const seed = options.seed ?? 42;
  const splitDescription: SplitDescription = {
    method: "stratified",
    validationFraction: options.validationFraction ?? 0.2,
    seed,
  };
  const labels = readLabels(table, options.labelColumn);
  const split = splitOf(labels, splitDescription);
  const preprocessing = fitPreprocessing(table, split.train, {
    labelColumn: options.labelColumn,
    idColumn: options.idColumn,
  });

  const started = performance.now();
  const model = trainModelOfKind(
    options.kind,
    encodeTableRows(preprocessing, table, split.train),
    split.train.map((i) => labels[i] as number),
    seed,
  );
  const durationMs = Math.round(performance.now() - started);

  const validationLabels = split.validation.map((i) => labels[i] as number);
  const metrics = computeMetrics(
    validationLabels,
    classifierOf(model).predictProbabilities(encodeTableRows(preprocessing, table, split.validation)),
  );
  const baseline = evaluateBaseline(table, labels, split, options.labelColumn, options.idColumn);
  const createdAt = (options.now ?? (() => new Date()))();
  const modelFile: ModelFile = {
    format: MODEL_FILE_FORMAT,
    formatVersion: MODEL_FILE_FORMAT_VERSION,
    kind: options.kind,
    algorithm: ALGORITHM_OF_KIND[options.kind],
    version: `${options.kind}-${createdAt
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}`,
    createdAt: createdAt.toISOString(),
    seed,
    split: splitDescription,
    preprocessing,
    featureNames: preprocessing.featureNames,
    model,
    metrics: { validation: metrics, baseline },
    training: { rows: split.train.length, durationMs },
  };
  return { modelFile, metrics, baseline };
}

export interface EvaluateOptions {
  /** Label column; defaults to the one the model was trained with. */
  readonly labelColumn?: string;
  readonly idColumn?: string | undefined;
}

/**
 * Evaluates a saved model on the validation rows of `table`, chosen exactly as at training time
 * (same seed, same fraction), beside a logistic baseline freshly trained on that split's training rows.
 */
export function evaluateModelFile(
  modelFile: ModelFile,
  table: CsvTable,
  options: EvaluateOptions = {},
): { metrics: ModelMetrics; baseline: ModelMetrics } {
  const labelColumn = options.labelColumn ?? modelFile.preprocessing.labelColumn;
  const idColumn = options.idColumn ?? modelFile.preprocessing.idColumn ?? undefined;
  const labels = readLabels(table, labelColumn);
  const split = splitOf(labels, modelFile.split);
  const probabilities = classifierOf(modelFile.model).predictProbabilities(
    encodeTableRows(modelFile.preprocessing, table, split.validation),
  );
  const metrics = computeMetrics(
    split.validation.map((i) => labels[i] as number),
    probabilities,
  );
  return { metrics, baseline: evaluateBaseline(table, labels, split, labelColumn, idColumn) };
}

/** Scores new rows with a saved model version, applying its saved preprocessing. */
export interface ModelScorer {
  readonly modelFile: ModelFile;
  readonly preprocessing: Preprocessing;
  /** Probability of the positive label for each record. */
  score(records: readonly FeatureRecord[]): number[];
  /** The columns that moved this record's prediction most (see explainPrediction). */
  topFeatures(record: FeatureRecord, topN?: number): FeatureContribution[];
}

export function createScorer(modelFile: ModelFile): ModelScorer {
  const classifier = classifierOf(modelFile.model);
  const { preprocessing } = modelFile;
  return {
    modelFile,
    preprocessing,
    score: (records) => classifier.predictProbabilities(records.map((record) => encodeRecord(preprocessing, record))),
    topFeatures: (record, topN = 5) =>
      explainPrediction(classifier, preprocessing, encodeRecord(preprocessing, record), topN),
  };
}
