import { mkdir, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { MlError } from "./errors.js";
import { loadModelFile, parseModelFile, saveModelFile } from "./model-file.js";
import { createScorer, evaluateModelFile, trainModelVersion } from "./training.js";

function syntheticCsv(): string {
  const lines = ["id,visits,plan,bought"];
  for (let i = 0; i < 300; i++) {
    const visits = i % 10;
    const plan = i % 3 === 0 ? "pro" : "free";
    const bought = visits > 5 || (plan === "pro" && visits > 2) ? "yes" : "no";
    lines.push(
      `u${i},${i % 17 === 0 ? "" : visits},${plan},${i % 23 === 0 ? (bought === "yes" ? "no" : "yes") : bought}`,
    );
  }
  return lines.join("\n");
}

describe("model versions", () => {
  const table = parseCsv(syntheticCsv());
  const outcome = trainModelVersion(table, {
    kind: "purchase_intent",
    labelColumn: "bought",
    idColumn: "id",
    seed: 3,
    now: () => new Date("2025-01-02T03:04:05.678Z"),
  });

  it("carry kind, version, metrics, preprocessing and feature names", () => {
    const file = outcome.modelFile;
    expect(file).toMatchObject({
      kind: "purchase_intent",
      algorithm: "gbdt",
      version: "purchase_intent-20250102T030405Z",
      createdAt: "2025-01-02T03:04:05.678Z",
    });
    expect(file.featureNames).toEqual(["visits", "visits__missing", "plan=free", "plan=pro"]);
    expect(file.metrics.validation.rocAuc).toBeGreaterThan(0.8);
    expect(file.metrics.validation.calibration.length).toBeGreaterThan(0);
    expect(file.metrics.baseline.rocAuc).toBeGreaterThan(0.5);
  });

  it("round-trip through a file and score identically", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cascade-ml-file-"));
    const path = join(dir, "nested", "v1.json");
    await saveModelFile(path, outcome.modelFile);
    const loaded = await loadModelFile(path);
    const records = [
      { visits: 8, plan: "free" },
      { visits: null, plan: "pro" },
      { visits: "1", plan: "enterprise" },
    ];
    expect(createScorer(loaded).score(records)).toEqual(createScorer(outcome.modelFile).score(records));
    expect(evaluateModelFile(loaded, table).metrics.rocAuc).toBeCloseTo(outcome.metrics.rocAuc, 12);
  });

  it("leave nothing behind when the write fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cascade-ml-file-"));
    const target = join(dir, "taken");
    await mkdir(target); // renaming a file over a directory fails
    await expect(saveModelFile(target, outcome.modelFile)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["taken"]);
  });

  it("reject a file that is not a model", () => {
    expect(() => parseModelFile("{}", "x.json")).toThrow(MlError);
    expect(() => parseModelFile("not json", "x.json")).toThrow(/x.json is not JSON/);
    const wrongVersion = JSON.stringify({ ...outcome.modelFile, formatVersion: 9 });
    expect(() => parseModelFile(wrongVersion)).toThrow(/formatVersion 9 is not supported/);
  });
});
