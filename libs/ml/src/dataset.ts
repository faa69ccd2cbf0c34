import type { CsvTable } from "./csv.js";
import { MlError } from "./errors.js";

/** How one source column becomes model features; saved with the model so scoring repeats it exactly. */
export type ColumnEncoding =
  | {
      readonly kind: "numeric";
      readonly column: string;
      /** Replaces a missing value (median of the training rows). */
      readonly fillValue: number;
      /** True when the training rows had missing values: a `<column>__missing` 0/1 feature follows. */
      readonly missingIndicator: boolean;
    }
  | {
      readonly kind: "categorical";
      readonly column: string;
      /** One 0/1 feature per kept category; any other value (rare, unseen) encodes as all zeros. */
      readonly categories: readonly string[];
    };

/**
 * The fitted preprocessing of a model: which columns are used and how, the feature names in order,
 * and the standardisation (mean, standard deviation per feature) used by linear models.
 * Plain JSON, saved inside the model file.
 */
export interface Preprocessing {
  readonly labelColumn: string;
  readonly idColumn: string | null;
  readonly columns: readonly ColumnEncoding[];
  readonly featureNames: readonly string[];
  readonly featureMeans: readonly number[];
  readonly featureStds: readonly number[];
}

export interface PreprocessingOptions {
  readonly labelColumn: string;
  readonly idColumn?: string | undefined;
  /** Keep at most this many categories per categorical column (the most frequent); default 20. */
  readonly maxCategories?: number;
}

/** The category a missing value of a categorical column takes, so "missing" can itself be informative. */
export const MISSING_CATEGORY = "__missing__";

const MISSING_TOKENS = new Set(["", "na", "n/a", "nan", "null", "none", "?"]);
const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A column this numeric (share of non-missing values) but with other values is treated as corrupt. */
const MOSTLY_NUMERIC_SHARE = 0.9;
const POSITIVE_LABELS = new Set(["yes", "y", "true", "t", "1", "1.0"]);
const NEGATIVE_LABELS = new Set(["no", "n", "false", "f", "0", "0.0"]);

/** Blank, whitespace-only, "NA", "N/A", "NaN", "null", "none" and "?" (any case) are missing values. */
export function isMissingValue(value: string | null | undefined): boolean {
  return value === null || value === undefined || MISSING_TOKENS.has(value.trim().toLowerCase());
}

function parseNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return NUMBER_PATTERN.test(trimmed) ? Number(trimmed) : undefined;
}

/** CSV line number of a data row (header is line 1), for error messages. */
function lineOf(rowIndex: number): number {
  return rowIndex + 2;
}

export function columnIndex(table: Pick<CsvTable, "header">, column: string, role: string): number {
  const index = table.header.indexOf(column);
  if (index < 0) {
    throw new MlError(
      "UNKNOWN_COLUMN",
      `${role} column "${column}" is not in the CSV; columns are: ${table.header.join(", ")}`,
      column,
    );
  }
  return index;
}

/**
 * Reads the label column as 0/1. Accepts yes/no, y/n, true/false, t/f, 1/0 (any case).
 * Throws naming the column when it is absent, a value is missing or unrecognised, or the label is constant.
 */
export function readLabels(table: CsvTable, labelColumn: string): number[] {
  const index = columnIndex(table, labelColumn, "Label");
  const labels = table.rows.map((row, rowIndex): number => {
    const raw = row[index] ?? "";
    if (isMissingValue(raw)) {
      throw new MlError(
        "MISSING_LABEL",
        `Label column "${labelColumn}" is missing a value on line ${lineOf(rowIndex)}`,
        labelColumn,
      );
    }
    const normalised = raw.trim().toLowerCase();
    if (POSITIVE_LABELS.has(normalised)) return 1;
    if (NEGATIVE_LABELS.has(normalised)) return 0;
    throw new MlError(
      "INVALID_LABEL_VALUE",
      `Label column "${labelColumn}" has "${raw}" on line ${lineOf(rowIndex)}; expected yes/no, true/false or 1/0`,
      labelColumn,
    );
  });
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) {
    throw new MlError(
      "CONSTANT_LABEL",
      `Label column "${labelColumn}" is constant (${positives === 0 ? "all negative" : "all positive"} in ${labels.length} rows); a classifier needs both classes`,
      labelColumn,
    );
  }
  return labels;
}

/** Decides numeric vs categorical from every row, rejecting mostly-numeric columns that carry garbage. */
function inferColumnKind(table: CsvTable, index: number, column: string): "numeric" | "categorical" | "empty" {
  let present = 0;
  let numeric = 0;
  let firstBad: { rowIndex: number; value: string } | undefined;
  table.rows.forEach((row, rowIndex) => {
    const value = row[index] ?? "";
    if (isMissingValue(value)) return;
    present++;
    if (parseNumber(value) !== undefined) numeric++;
    else firstBad ??= { rowIndex, value };
  });
  if (present === 0) return "empty";
  if (numeric === present) return "numeric";
  if (firstBad !== undefined && numeric / present >= MOSTLY_NUMERIC_SHARE) {
    throw new MlError(
      "NON_NUMERIC_VALUE",
      `Column "${column}" is numeric in ${numeric} of ${present} rows but has "${firstBad.value}" on line ${lineOf(firstBad.rowIndex)}; ` +
        `fix the value or leave it blank/NA to mark it missing`,
      column,
    );
  }
  return "categorical";
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Infers the schema from all rows and fits the statistics (medians, kept categories, standardisation)
 * on `fitRows` only (the training split), so nothing leaks from the validation rows.
 */
export function fitPreprocessing(
  table: CsvTable,
  fitRows: readonly number[],
  options: PreprocessingOptions,
): Preprocessing {
  const { labelColumn, idColumn } = options;
  const maxCategories = options.maxCategories ?? 20;
  columnIndex(table, labelColumn, "Label");
  if (idColumn !== undefined) columnIndex(table, idColumn, "ID");
  if (fitRows.length === 0) throw new MlError("TOO_FEW_ROWS", "No rows to fit the preprocessing on");

  const columns: ColumnEncoding[] = [];
  table.header.forEach((column, index) => {
    if (column === labelColumn || column === idColumn) return;
    const kind = inferColumnKind(table, index, column);
    if (kind === "empty") return;
    if (kind === "numeric") {
      const present: number[] = [];
      let missing = 0;
      for (const rowIndex of fitRows) {
        const value = table.rows[rowIndex]?.[index] ?? "";
        if (isMissingValue(value)) missing++;
        else present.push(parseNumber(value) as number);
      }
      columns.push({ kind: "numeric", column, fillValue: median(present), missingIndicator: missing > 0 });
      return;
    }
    const counts = new Map<string, number>();
    for (const rowIndex of fitRows) {
      const category = categoryOf(table.rows[rowIndex]?.[index]);
      counts.set(category, (counts.get(category) ?? 0) + 1);
    }
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxCategories)
      .map(([category]) => category);
    // A column with one value on the training rows carries no information.
    if (counts.size > 1) columns.push({ kind: "categorical", column, categories });
  });

  const featureNames = columns.flatMap((encoding) =>
    encoding.kind === "numeric"
      ? encoding.missingIndicator
        ? [encoding.column, `${encoding.column}__missing`]
        : [encoding.column]
      : encoding.categories.map((category) => `${encoding.column}=${category}`),
  );
  if (featureNames.length === 0) {
    throw new MlError(
      "NO_FEATURES",
      `No usable feature columns besides label "${labelColumn}"${idColumn ? ` and ID "${idColumn}"` : ""}`,
    );
  }

  const partial: Preprocessing = {
    labelColumn,
    idColumn: idColumn ?? null,
    columns,
    featureNames,
    featureMeans: [],
    featureStds: [],
  };
  const encoded = encodeTableRows(partial, table, fitRows);
  const featureMeans = featureNames.map(
    (_, j) => encoded.reduce((sum, row) => sum + (row[j] as number), 0) / encoded.length,
  );
  const featureStds = featureNames.map((_, j) => {
    const mean = featureMeans[j] as number;
    const variance = encoded.reduce((sum, row) => sum + ((row[j] as number) - mean) ** 2, 0) / encoded.length;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { ...partial, featureMeans, featureStds };
}

function categoryOf(value: string | null | undefined): string {
  return isMissingValue(value) ? MISSING_CATEGORY : (value as string).trim();
}

/** A row to score, by column name (e.g. a contact's features); absent or null values are missing. */
export type FeatureRecord = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Encodes one record into the feature vector the model was trained on (unscaled). */
export function encodeRecord(preprocessing: Preprocessing, record: FeatureRecord): number[] {
  const features: number[] = [];
  for (const encoding of preprocessing.columns) {
    const raw = record[encoding.column];
    const text = raw === null || raw === undefined ? undefined : String(raw);
    if (encoding.kind === "numeric") {
      if (isMissingValue(text)) {
        features.push(encoding.fillValue);
        if (encoding.missingIndicator) features.push(1);
        continue;
      }
      const value = typeof raw === "number" ? raw : parseNumber(text as string);
      if (value === undefined || !Number.isFinite(value)) {
        throw new MlError(
          "NON_NUMERIC_VALUE",
          `Column "${encoding.column}" must be numeric but is "${text}"`,
          encoding.column,
        );
      }
      features.push(value);
      if (encoding.missingIndicator) features.push(0);
    } else {
      const category = categoryOf(text);
      for (const kept of encoding.categories) features.push(kept === category ? 1 : 0);
    }
  }
  return features;
}

/** Encodes the given rows of a table (all rows when `rowIndices` is omitted); every used column must exist. */
export function encodeTableRows(
  preprocessing: Preprocessing,
  table: CsvTable,
  rowIndices?: readonly number[],
): number[][] {
  const indexByColumn = new Map(
    preprocessing.columns.map((encoding) => [encoding.column, columnIndex(table, encoding.column, "Feature")]),
  );
  const indices = rowIndices ?? table.rows.map((_, i) => i);
  return indices.map((rowIndex) => {
    const row = table.rows[rowIndex] ?? [];
    const record: Record<string, string | undefined> = {};
    for (const [column, index] of indexByColumn) record[column] = row[index];
    try {
      return encodeRecord(preprocessing, record);
    } catch (error) {
      if (error instanceof MlError)
        throw new MlError(error.code, `${error.message} on line ${lineOf(rowIndex)}`, error.column);
      throw error;
    }
  });
}

/** Standardises encoded features with the fitted means and standard deviations (for linear models). */
export function standardize(preprocessing: Preprocessing, rows: readonly (readonly number[])[]): number[][] {
  const { featureMeans, featureStds } = preprocessing;
  return rows.map((row) => row.map((value, j) => (value - (featureMeans[j] as number)) / (featureStds[j] as number)));
}
