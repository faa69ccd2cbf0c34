import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import {
  MISSING_CATEGORY,
  encodeRecord,
  encodeTableRows,
  fitPreprocessing,
  readLabels,
  standardize,
} from "./dataset.js";
import { MlError } from "./errors.js";

const csv = [
  "customer,age,plan,spend,churned",
  "c1,30,basic,10.5,yes",
  "c2,,premium,20,No",
  "c3,50,basic, ,TRUE",
  "c4,NA,,40,false",
  "c5,40,basic,30,1",
  "c6,35,premium,25,0",
].join("\n");

function errorOf(fn: () => unknown): MlError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MlError) return error;
    throw error;
  }
  throw new Error("expected an MlError");
}

describe("readLabels", () => {
  it("reads yes/no, true/false and 1/0 in any case", () => {
    expect(readLabels(parseCsv(csv), "churned")).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it("names an unknown label column and lists the columns", () => {
    const error = errorOf(() => readLabels(parseCsv(csv), "Churn"));
    expect(error.code).toBe("UNKNOWN_COLUMN");
    expect(error.column).toBe("Churn");
    expect(error.message).toContain("customer, age, plan, spend, churned");
  });

  it("rejects a constant label", () => {
    const error = errorOf(() => readLabels(parseCsv("x,y\n1,yes\n2,Yes\n"), "y"));
    expect(error.code).toBe("CONSTANT_LABEL");
    expect(error.message).toMatch(/"y" is constant/);
  });

  it("rejects an unrecognised or missing label value with its line", () => {
    expect(errorOf(() => readLabels(parseCsv("x,y\n1,yes\n2,maybe\n"), "y")).message).toMatch(/"maybe" on line 3/);
    expect(errorOf(() => readLabels(parseCsv("x,y\n1,yes\n2,\n"), "y")).code).toBe("MISSING_LABEL");
  });
});

describe("fitPreprocessing", () => {
  const table = parseCsv(csv);
  const all = [0, 1, 2, 3, 4, 5];

  it("infers numeric and categorical columns, drops label and ID, marks missing values", () => {
    const pre = fitPreprocessing(table, all, { labelColumn: "churned", idColumn: "customer" });
    expect(pre.columns.map((c) => [c.column, c.kind])).toEqual([
      ["age", "numeric"],
      ["plan", "categorical"],
      ["spend", "numeric"],
    ]);
    expect(pre.featureNames).toEqual([
      "age",
      "age__missing",
      "plan=basic",
      "plan=premium",
      `plan=${MISSING_CATEGORY}`,
      "spend",
      "spend__missing",
    ]);
    // age present: 30, 50, 40, 35 → median 37.5 fills the blank and "NA"
    expect(encodeTableRows(pre, table, [1])[0]).toEqual([37.5, 1, 0, 1, 0, 20, 0]);
  });

  it("fits statistics on the given rows only", () => {
    const pre = fitPreprocessing(table, [0, 2], { labelColumn: "churned", idColumn: "customer" });
    expect(pre.columns[0]).toMatchObject({ column: "age", fillValue: 40, missingIndicator: false });
    // plan is "basic" on both rows: a single category carries no information and is dropped
    expect(pre.featureNames).toEqual(["age", "spend", "spend__missing"]);
  });

  it("caps categories at the most frequent ones; others and unseen values encode as zeros", () => {
    const pre = fitPreprocessing(table, all, { labelColumn: "churned", idColumn: "customer", maxCategories: 1 });
    expect(pre.featureNames.filter((name) => name.startsWith("plan="))).toEqual(["plan=basic"]);
    expect(encodeRecord(pre, { age: 20, plan: "enterprise", spend: "5" })).toEqual([20, 0, 0, 5, 0]);
  });

  it("keeps the ID column when none is given (it is just another column)", () => {
    const pre = fitPreprocessing(table, all, { labelColumn: "churned" });
    expect(pre.columns.map((c) => c.column)).toContain("customer");
  });

  it("rejects a mostly numeric column with garbage, naming column, value and line", () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2 === 0 ? "yes" : "no"}`);
    rows[7] = "12x,no";
    const error = errorOf(() =>
      fitPreprocessing(parseCsv(`amount,label\n${rows.join("\n")}`), [0, 1, 2], { labelColumn: "label" }),
    );
    expect(error.code).toBe("NON_NUMERIC_VALUE");
    expect(error.column).toBe("amount");
    expect(error.message).toContain('"12x" on line 9');
  });

  it("rejects a table with no feature columns", () => {
    expect(
      errorOf(() => fitPreprocessing(parseCsv("id,y\na,1\nb,0\n"), [0, 1], { labelColumn: "y", idColumn: "id" })).code,
    ).toBe("NO_FEATURES");
  });

  it("rejects a non-numeric value in a numeric column at scoring time", () => {
    const pre = fitPreprocessing(table, all, { labelColumn: "churned", idColumn: "customer" });
    expect(errorOf(() => encodeRecord(pre, { age: "old", plan: "basic", spend: 1 })).column).toBe("age");
  });

  it("standardises features to mean 0 and unit variance on the fitted rows", () => {
    const pre = fitPreprocessing(table, all, { labelColumn: "churned", idColumn: "customer" });
    const scaled = standardize(pre, encodeTableRows(pre, table, all));
    const spend = scaled.map((row) => row[5] as number);
    expect(spend.reduce((a, b) => a + b, 0) / spend.length).toBeCloseTo(0, 10);
    expect(spend.reduce((a, b) => a + b * b, 0) / spend.length).toBeCloseTo(1, 10);
  });
});
