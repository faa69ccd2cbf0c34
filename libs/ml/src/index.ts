export { parseCsv } from "./csv.js";
export type { CsvTable } from "./csv.js";
export {
  MISSING_CATEGORY,
  encodeRecord,
  encodeTableRows,
  fitPreprocessing,
  isMissingValue,
  readLabels,
  standardize,
} from "./dataset.js";
export type { ColumnEncoding, FeatureRecord, Preprocessing, PreprocessingOptions } from "./dataset.js";
export { MlError, ModelTrainingError } from "./errors.js";
export type { MlErrorCode } from "./errors.js";
export { explainPrediction } from "./explain.js";
export type { FeatureContribution } from "./explain.js";
export {
  averagePrecision,
  brierScore,
  calibrationBins,
  computeMetrics,
  expectedCalibrationError,
  logLoss,
  precisionAtK,
  recallAtK,
  rocAuc,
} from "./metrics.js";
export type { CalibrationBin, ModelMetrics } from "./metrics.js";
export {
  MODEL_FILE_FORMAT,
  MODEL_FILE_FORMAT_VERSION,
  loadModelFile,
  parseModelFile,
  saveModelFile,
} from "./model-file.js";
export type { ModelFile, SplitDescription } from "./model-file.js";
export type { BinaryClassifier } from "./models/classifier.js";
export { gbdtClassifier, gbdtContributions, trainGbdt } from "./models/gbdt.js";
export type { GbdtModel, GbdtOptions } from "./models/gbdt.js";
export { predictLogisticRegression, trainLogisticRegression } from "./models/logistic-regression.js";
export type { LogisticRegressionModel, LogisticRegressionOptions } from "./models/logistic-regression.js";
export { ALGORITHM_OF_KIND, MODEL_KINDS, classifierOf, isModelKind, trainModelOfKind } from "./models/model-kinds.js";
export type { Algorithm, ModelKind, TrainedModel } from "./models/model-kinds.js";
export { randomForestClassifier, trainRandomForest } from "./models/random-forest.js";
export type { RandomForestModel, RandomForestOptions } from "./models/random-forest.js";
export { shouldPromote } from "./promotion.js";
export type { PromotionDecision, PromotionPolicy } from "./promotion.js";
export { seededRandom } from "./random.js";
export { stratifiedSplit, timeSplit } from "./split.js";
export type { Split } from "./split.js";
export { createScorer, evaluateBaseline, evaluateModelFile, trainModelVersion } from "./training.js";
export type { EvaluateOptions, ModelScorer, TrainOptions, TrainOutcome } from "./training.js";
// Content interest (collaborative filtering with TensorFlow.js) and the one module choosing TF.js's backend.
export * from "./content-interest/index.js";
export { loadTensorFlow } from "./tfjs-backend.js";
export type { TensorFlowBackend, Tf } from "./tfjs-backend.js";
