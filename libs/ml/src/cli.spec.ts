import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "./cli.js";
import { loadModelFile } from "./model-file.js";
import { createScorer } from "./training.js";

/** The Telco data lives beside the repository (../shared/data), never inside it. */
const TELCO = fileURLToPath(new URL("../../../../shared/data/telco-customer-churn.csv", import.meta.url));
const telcoPresent = existsSync(TELCO);
if (!telcoPresent) console.warn(`libs/ml CLI Telco tests skipped: ${TELCO} is absent`);

async function run(args: string[], cwd: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (line) => out.push(line), err: (line) => err.push(line) }, cwd);
  return { code, out, err };
}

function lastLineAucs(out: readonly string[]): { auc: number; baseline: number } {
  const match = /^auc=(\d\.\d{4}) baseline=(\d\.\d{4})$/.exec(out[out.length - 1] ?? "");
  if (match === null) throw new Error(`last line is not "auc=… baseline=…": ${out.join("\n")}`);
  return { auc: Number(match[1]), baseline: Number(match[2]) };
}

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "cascade-ml-cli-"));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe("ml CLI usage and data errors", () => {
  it("exits 2 with usage on a missing command, unknown command, unknown flag or missing flag", async () => {
    expect((await run([], workDir)).code).toBe(2);
    expect((await run(["fit"], workDir)).err[0]).toMatch(/unknown command "fit"/);
    const unknownFlag = await run(["train", "--modle", "churn"], workDir);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err[0]).toMatch(/--modle/);
    const missing = await run(["train", "--model", "churn", "--label", "y"], workDir);
    expect(missing).toMatchObject({ code: 2, err: [expect.stringMatching(/--csv is required/)] });
    expect((await run(["train", "--model", "upsell", "--csv", "x.csv", "--label", "y"], workDir)).err[0]).toMatch(
      /--model must be one of churn, purchase_intent/,
    );
    expect(
      (await run(["train", "--model", "churn", "--csv", "x.csv", "--label", "y", "--seed", "abc"], workDir)).err[0],
    ).toMatch(/--seed must be/);
  });

  it("exits 1 naming the column for an unknown label, a constant label and garbage, writing no model", async () => {
    const csv = join(workDir, "small.csv");
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 3},${i % 2 === 0 ? "yes" : "no"},yes`);
    rows[5] = "oops,2,no,yes";
    await writeFile(csv, `amount,visits,bought,always\n${rows.join("\n")}\n`);
    const out = join(workDir, "models-bad");
    const unknown = await run(
      ["train", "--model", "churn", "--csv", csv, "--label", "Churn", "--out", join(out, "m.json")],
      workDir,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(/UNKNOWN_COLUMN.*"Churn" is not in the CSV/);
    const constant = await run(
      ["train", "--model", "churn", "--csv", csv, "--label", "always", "--out", join(out, "m.json")],
      workDir,
    );
    expect(constant.err[0]).toMatch(/CONSTANT_LABEL.*"always"/);
    const garbage = await run(
      ["train", "--model", "churn", "--csv", csv, "--label", "bought", "--out", join(out, "m.json")],
      workDir,
    );
    expect(garbage.err[0]).toMatch(/NON_NUMERIC_VALUE.*"amount".*"oops" on line 7/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!telcoPresent)("ml CLI on the Telco churn data", () => {
  it("trains the churn random forest, saves it, and evaluate reproduces the same validation AUCs", async () => {
    const modelPath = join(workDir, "models", "churn.json");
    const trained = await run(
      ["train", "--model", "churn", "--csv", TELCO, "--label", "Churn", "--id", "customerID", "--out", modelPath],
      workDir,
    );
    expect(trained.err).toEqual([]);
    expect(trained.code).toBe(0);
    const trainAucs = lastLineAucs(trained.out);
    expect(trainAucs.auc).toBeGreaterThan(0.8);
    expect(trainAucs.baseline).toBeGreaterThan(0.8);

    const evaluated = await run(["evaluate", "--model-file", modelPath, "--csv", TELCO], workDir);
    expect(evaluated.code).toBe(0);
    expect(lastLineAucs(evaluated.out)).toEqual(trainAucs);

    const modelFile = await loadModelFile(modelPath);
    expect(modelFile).toMatchObject({
      kind: "churn",
      algorithm: "random_forest",
      split: { seed: 42, validationFraction: 0.2 },
    });
    expect(modelFile.metrics.validation.rocAuc).toBeCloseTo(trainAucs.auc, 4);
    expect(modelFile.featureNames).not.toContain("customerID");
    expect(await readdir(join(workDir, "models"))).toEqual(["churn.json"]); // no temporary files left

    // the saved preprocessing scores a raw row, and explains it by source column
    const scorer = createScorer(modelFile);
    const row = {
      gender: "Female",
      SeniorCitizen: "0",
      Partner: "Yes",
      Dependents: "No",
      Tenure: "1",
      PhoneService: "No",
      MultipleLines: "No phone service",
      InternetService: "Fiber optic",
      OnlineSecurity: "No",
      OnlineBackup: "No",
      DeviceProtection: "No",
      TechSupport: "No",
      StreamingTV: "No",
      StreamingMovies: "No",
      Contract: "Month-to-month",
      PaperlessBilling: "Yes",
      PaymentMethod: "Electronic check",
      MonthlyCharges: "70.7",
      TotalCharges: "70.7",
    };
    const loyal = {
      ...row,
      Tenure: "70",
      Contract: "Two year",
      InternetService: "DSL",
      TotalCharges: "4000",
      PaymentMethod: "Credit card (automatic)",
    };
    const [risky, safe] = scorer.score([row, loyal]);
    expect(risky).toBeGreaterThan(safe as number);
    // contributions are relative to each column's typical value (median / most frequent category):
    // a 1-month tenure raises the churn risk, a 70-month one lowers it
    const tenureOf = (record: Record<string, string>) =>
      scorer.topFeatures(record, 19).find((item) => item.column === "Tenure")?.contribution ?? 0;
    expect(tenureOf(row)).toBeGreaterThan(0);
    expect(tenureOf(loyal)).toBeLessThan(0);
    expect(scorer.topFeatures(loyal, 3)).toHaveLength(3);
  }, 180_000);

  it("trains purchase-intent gradient boosting with the same split and baseline", async () => {
    const modelPath = join(workDir, "models-gbdt", "pi.json");
    const trained = await run(
      [
        "train",
        "--model",
        "purchase_intent",
        "--csv",
        TELCO,
        "--label",
        "Churn",
        "--id",
        "customerID",
        "--out",
        modelPath,
      ],
      workDir,
    );
    expect(trained.code).toBe(0);
    const { auc, baseline } = lastLineAucs(trained.out);
    expect(auc).toBeGreaterThan(0.8);
    expect(baseline).toBeGreaterThan(0.8);
    const saved = JSON.parse(await readFile(modelPath, "utf8")) as { algorithm: string };
    expect(saved.algorithm).toBe("gbdt");
  }, 180_000);
});
