import {
  classifierOf,
  computeMetrics,
  encodeRecord,
  encodeTableRows,
  evaluateBaseline,
  explainPrediction,
  fitPreprocessing,
  ModelTrainingError,
  trainModelOfKind,
  type CsvTable,
  type FeatureContribution,
  type ModelMetrics,
  type Preprocessing,
  type Split,
  type TrainedModel,
} from "@cascade/ml";
import { FEATURE_NAMES, type ContactFeatures } from "../features/feature-definitions.js";
import type { ClassifierModelName } from "../shared/model-names.js";
import type { LabelledRow } from "./training-data.js";

/** A trained classifier as stored in the registry: the fitted preprocessing and the model, plain JSON. */
export interface ClassifierArtifact {
  readonly kind: "classifier";
  readonly model: ClassifierModelName;
  readonly preprocessing: Preprocessing;
  readonly trained: TrainedModel;
}

/** The validation rows of a run, kept so the current version can be scored on exactly the same rows. */
export interface ValidationSet {
  readonly records: readonly ContactFeatures[];
  readonly labels: readonly number[];
}

export interface ClassifierTrainingResult {
  readonly artifact: ClassifierArtifact;
  readonly metrics: ModelMetrics;
  readonly baseline: ModelMetrics;
  readonly validation: ValidationSet;
  readonly split: { readonly method: "time"; readonly validationFrom: string };
  readonly rows: { readonly train: number; readonly validation: number; readonly positiveRate: number };
  readonly durationMs: number;
}

const LABEL = "label";

/** The labelled rows as the CSV-shaped table the libs/ml preprocessing reads. */
export function tableOf(rows: readonly LabelledRow[]): CsvTable {
  return {
    header: [...FEATURE_NAMES, LABEL],
    rows: rows.map((row) => [...FEATURE_NAMES.map((name) => String(row.features[name])), String(row.label)]),
  };
}

/**
 * Trains one version of a classifier on stream rows, validated by time: the rows of the latest cutoff
 * validate, the earlier cutoffs train. Deterministic for a given seed.
 * Throws ModelTrainingError (with the reason) when the rows cannot train a model.
 */
export function trainClassifier(
  model: ClassifierModelName,
  rows: readonly LabelledRow[],
  options: { readonly seed: number; readonly minRows: number },
): ClassifierTrainingResult {
  if (rows.length < options.minRows)
    throw new ModelTrainingError(`${model}: ${rows.length} labelled rows, at least ${options.minRows} are needed`);
  const split = splitAtLatestCutoff(rows);
  const labels = rows.map((row) => row.label as number);
  for (const [side, indices] of [
    ["training", split.train],
    ["validation", split.validation],
  ] as const) {
    const positives = indices.reduce((sum, i) => sum + (labels[i] as number), 0);
    if (positives === 0 || positives === indices.length)
      throw new ModelTrainingError(
        `${model}: the ${side} rows have only one class (${positives} positive of ${indices.length}); a classifier needs both`,
      );
  }
  const table = tableOf(rows);
  const preprocessing = fitPreprocessing(table, split.train, { labelColumn: LABEL });
  const started = performance.now();
  const trained = trainModelOfKind(
    model,
    encodeTableRows(preprocessing, table, split.train),
    split.train.map((i) => labels[i] as number),
    options.seed,
  );
  const durationMs = Math.round(performance.now() - started);
  const artifact: ClassifierArtifact = { kind: "classifier", model, preprocessing, trained };
  const validation: ValidationSet = {
    records: split.validation.map((i) => (rows[i] as LabelledRow).features),
    labels: split.validation.map((i) => labels[i] as number),
  };
  // A loop, not Math.min(...array): spreading 100 000+ values overflows the call stack.
  const firstValidation = split.validation.reduce(
    (earliest, i) => Math.min(earliest, (rows[i] as LabelledRow).cutoff.getTime()),
    Number.POSITIVE_INFINITY,
  );
  return {
    artifact,
    metrics: evaluateClassifier(artifact, validation),
    baseline: evaluateBaseline(table, labels, split, LABEL),
    validation,
    split: {
      method: "time",
      validationFrom: new Date(firstValidation).toISOString(),
    },
    rows: {
      train: split.train.length,
      validation: split.validation.length,
      positiveRate: labels.reduce((sum, label) => sum + label, 0) / labels.length,
    },
    durationMs,
  };
}

/** Validation metrics of a (candidate or current) classifier on given rows. */
export function evaluateClassifier(artifact: ClassifierArtifact, validation: ValidationSet): ModelMetrics {
  return computeMetrics(validation.labels, classifierScorer(artifact).score(validation.records));
}

export interface ClassifierScorer {
  score(records: readonly ContactFeatures[]): number[];
  topFeatures(record: ContactFeatures, topN: number): FeatureContribution[];
}

export function classifierScorer(artifact: ClassifierArtifact): ClassifierScorer {
  const classifier = classifierOf(artifact.trained);
  const { preprocessing } = artifact;
  return {
    score: (records) => classifier.predictProbabilities(records.map((record) => encodeRecord(preprocessing, record))),
    topFeatures: (record, topN) =>
      explainPrediction(classifier, preprocessing, encodeRecord(preprocessing, record), topN),
  };
}

/** Time split of snapshot rows: the latest cutoff validates, every earlier one trains. */
export function splitAtLatestCutoff(rows: readonly LabelledRow[]): Split {
  const latest = rows.reduce((max, row) => Math.max(max, row.cutoff.getTime()), Number.NEGATIVE_INFINITY);
  const split: Split = { train: [], validation: [] };
  rows.forEach((row, i) => (row.cutoff.getTime() === latest ? split.validation : split.train).push(i));
  if (split.train.length === 0)
    throw new ModelTrainingError(
      "the rows come from a single cutoff; a time split needs at least two (PREDICTIONS_TRAINING_SNAPSHOTS >= 2)",
    );
  return split;
}
