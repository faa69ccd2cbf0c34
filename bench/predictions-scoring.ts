/**
 * Predictions service: scoring throughput (contacts/s) and training time on synthetic stream data for
 * `--contacts` contacts (default 100,000), each printed as a ratio against the logistic-regression baseline
 * measured in the same run on the same rows. Activity is generated in chunks of 5,000 contacts and reduced
 * to labelled feature rows at once, so memory stays bounded.
 * Run: npm run bench -- predictions-scoring [--contacts 100000]
 */
import {
  encodeRecord,
  encodeTableRows,
  fitPreprocessing,
  predictLogisticRegression,
  standardize,
  trainLogisticRegression,
} from "@cascade/ml";
import {
  buildLabelledRows,
  classifierScorer,
  splitAtLatestCutoff,
  syntheticActivity,
  tableOf,
  trainClassifier,
  type LabelSettings,
  type LabelledRow,
} from "@cascade/services/predictions";
import { flag, report } from "./_harness.js";

const contacts = flag("contacts", 100_000);
const now = new Date("2025-06-01T00:00:00Z");
const settings: LabelSettings = { featureWindowDays: 30, churnInactivityDays: 14, purchaseWindowDays: 7, snapshots: 2 };
const CHUNK = 5_000;

const rows: LabelledRow[] = [];
for (let start = 0; start < contacts; start += CHUNK) {
  const activity = syntheticActivity({ contacts: Math.min(CHUNK, contacts - start), days: 70, now, seed: 1 + start });
  rows.push(...buildLabelledRows("churn", activity, settings, now));
}
console.log(
  `${contacts.toLocaleString("en-US")} synthetic contacts → ${rows.length.toLocaleString("en-US")} labelled churn rows`,
);

const seconds = (work: () => void): number => {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
};

// Training: the churn random forest vs L2 logistic regression on the same time split.
let trained: ReturnType<typeof trainClassifier> | undefined;
const forestSeconds = seconds(() => {
  trained = trainClassifier("churn", rows, { seed: 42, minRows: 40 });
});
const split = splitAtLatestCutoff(rows);
const table = tableOf(rows);
const preprocessing = fitPreprocessing(table, split.train, { labelColumn: "label" });
const trainRows = standardize(preprocessing, encodeTableRows(preprocessing, table, split.train));
let logistic: ReturnType<typeof trainLogisticRegression> | undefined;
const logisticSeconds = seconds(() => {
  logistic = trainLogisticRegression(
    trainRows,
    split.train.map((i) => (rows[i] as LabelledRow).label),
  );
});

// Scoring: every contact row, as the scoring path does (features record → probability), vs the baseline.
const records = rows.map((row) => row.features);
const scorer = classifierScorer((trained as NonNullable<typeof trained>).artifact);
const forestScoring = seconds(() => void scorer.score(records));
const explainCount = Math.min(records.length, 5_000);
const explainScoring = seconds(() => {
  for (const record of records.slice(0, explainCount)) scorer.topFeatures(record, 5);
});
const logisticScoring = seconds(() => {
  const encoded = standardize(
    preprocessing,
    records.map((record) => encodeRecord(preprocessing, record)),
  );
  predictLogisticRegression(logistic as NonNullable<typeof logistic>, encoded);
});

report(`predictions: churn (random forest) vs logistic baseline, ${rows.length.toLocaleString("en-US")} rows`, [
  {
    what: "training time",
    subject: { name: "random forest", value: forestSeconds, unit: "s" },
    baseline: { name: "logistic", value: logisticSeconds, unit: "s" },
    lowerIsBetter: true,
  },
  {
    what: "scoring throughput",
    subject: { name: "random forest", value: records.length / forestScoring, unit: "contacts/s" },
    baseline: { name: "logistic", value: records.length / logisticScoring, unit: "contacts/s" },
  },
  {
    what: "scoring with top-5 features",
    subject: { name: "random forest + explain", value: explainCount / explainScoring, unit: "contacts/s" },
    baseline: { name: "logistic", value: records.length / logisticScoring, unit: "contacts/s" },
  },
]);
console.log(
  `validation ROC AUC: random forest ${(trained as NonNullable<typeof trained>).metrics.rocAuc.toFixed(4)}, logistic ${(trained as NonNullable<typeof trained>).baseline.rocAuc.toFixed(4)}`,
);
