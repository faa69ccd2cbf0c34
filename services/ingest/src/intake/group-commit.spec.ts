import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.js";

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

describe("GroupCommit", () => {
  it("flushes a lone submission at once and gathers those that arrive meanwhile into one flush", async () => {
    const flushes: number[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<number, string>(
      async (items) => {
        flushes.push(items);
        if (flushes.length === 1) await gate.promise;
        return items.map((n) => `r${n}`);
      },
      { concurrency: 1, maxWeight: 100 },
    );
    const first = commit.submit([1]);
    const second = commit.submit([2, 3]);
    const third = commit.submit([4]);
    expect(flushes).toEqual([[1]]);
    gate.release();
    expect(await first).toEqual(["r1"]);
    expect(await second).toEqual(["r2", "r3"]);
    expect(await third).toEqual(["r4"]);
    expect(flushes).toEqual([[1], [2, 3, 4]]);
  });

  it("keeps a flush within maxWeight and still sends a submission heavier than the limit on its own", async () => {
    const flushes: string[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<string, void>(
      async (items) => {
        flushes.push(items);
        if (flushes.length === 1) await gate.promise;
        return items.map(() => undefined);
      },
      { concurrency: 1, maxWeight: 10, weightOf: (item) => item.length },
    );
    const all = [
      commit.submit(["a"]),
      commit.submit(["bbbbbb"]),
      commit.submit(["cccccc"]),
      commit.submit(["x".repeat(30)]),
    ];
    gate.release();
    await Promise.all(all);
    expect(flushes).toEqual([["a"], ["bbbbbb"], ["cccccc"], ["x".repeat(30)]]);
  });

  it("rejects every submission of a failed flush, and later submissions still flush", async () => {
    let fail = true;
    const commit = new GroupCommit<number, number>(
      async (items) => {
        if (fail) throw new Error("broker down");
        return items;
      },
      { concurrency: 2, maxWeight: 10 },
    );
    await expect(commit.submit([1])).rejects.toThrow("broker down");
    fail = false;
    expect(await commit.submit([7, 8])).toEqual([7, 8]);
  });
});
