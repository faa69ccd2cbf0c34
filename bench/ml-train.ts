/**
 * Training-time and ROC AUC benchmark of the libs/ml models on the Telco churn data, printed as
 * ratios against the logistic-regression baseline measured in the same run (never pass/fail).
 * Run: npx swc libs/ml bench -d dist && node dist/bench/ml-train.js
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  encodeTableRows,
  fitPreprocessing,
  gbdtClassifier,
  parseCsv,
  predictLogisticRegression,
  randomForestClassifier,
  readLabels,
  rocAuc,
  standardize,
  stratifiedSplit,
  trainGbdt,
  trainLogisticRegression,
  trainRandomForest,
} from "@cascade/ml";

const telcoPath = fileURLToPath(new URL("../../shared/data/telco-customer-churn.csv", import.meta.url));
const candidates = [
  telcoPath,
  fileURLToPath(new URL("../../../shared/data/telco-customer-churn.csv", import.meta.url)),
];
const path = candidates.find((candidate) => existsSync(candidate));
if (path === undefined) {
  console.log(`ml-train bench skipped: Telco data not found at ${candidates.join(" or ")}`);
  process.exit(0);
}

const table = parseCsv(readFileSync(path, "utf8"));
const labels = readLabels(table, "Churn");
const split = stratifiedSplit(labels, 0.2, 42);
const preprocessing = fitPreprocessing(table, split.train, { labelColumn: "Churn", idColumn: "customerID" });
const trainRows = encodeTableRows(preprocessing, table, split.train);
const validationRows = encodeTableRows(preprocessing, table, split.validation);
const trainLabels = split.train.map((i) => labels[i] as number);
const validationLabels = split.validation.map((i) => labels[i] as number);

function timed<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

const baseline = timed(() => trainLogisticRegression(standardize(preprocessing, trainRows), trainLabels));
const baselineAuc = rocAuc(
  validationLabels,
  predictLogisticRegression(baseline.value, standardize(preprocessing, validationRows)),
);
const forest = timed(() => trainRandomForest(trainRows, trainLabels, { seed: 42 }));
const forestAuc = rocAuc(validationLabels, randomForestClassifier(forest.value).predictProbabilities(validationRows));
const boosting = timed(() => trainGbdt(trainRows, trainLabels, { seed: 42 }));
const boostingAuc = rocAuc(validationLabels, gbdtClassifier(boosting.value).predictProbabilities(validationRows));

console.log(
  `rows train=${trainRows.length} validation=${validationRows.length} features=${preprocessing.featureNames.length}`,
);
for (const [name, ms, auc] of [
  ["logistic (baseline)", baseline.ms, baselineAuc],
  ["random forest", forest.ms, forestAuc],
  ["gbdt", boosting.ms, boostingAuc],
] as const) {
  console.log(
    `${name.padEnd(20)} train_ms=${ms.toFixed(0).padStart(6)} time_vs_baseline=${(ms / baseline.ms).toFixed(1).padStart(6)}x ` +
      `roc_auc=${auc.toFixed(4)} auc_minus_baseline=${(auc - baselineAuc).toFixed(4)}`,
  );
}
