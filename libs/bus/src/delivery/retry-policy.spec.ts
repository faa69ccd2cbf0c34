import { describe, expect, it } from "vitest";
import {
  abortableDelay,
  backoffDelayMs,
  defaultRetryPolicy,
  resolveRetryPolicy,
  sleepUnlessAborted,
} from "./retry-policy.js";

const policy = { maxAttempts: 6, initialDelayMs: 200, maxDelayMs: 1_000 };

describe("backoffDelayMs", () => {
  it("doubles from initialDelayMs and stops at maxDelayMs", () => {
    const noJitter = (): number => 0;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt, noJitter))).toEqual([
      200, 400, 800, 1_000, 1_000,
    ]);
  });

  it("adds at most 10 % jitter and never exceeds the cap", () => {
    const fullJitter = (): number => 0.999_999;
    expect(backoffDelayMs(policy, 1, fullJitter)).toBe(220);
    expect(backoffDelayMs(policy, 2, fullJitter)).toBe(440);
    expect(backoffDelayMs(policy, 3, fullJitter)).toBe(880);
    expect(backoffDelayMs(policy, 4, fullJitter)).toBe(1_000);
    expect(backoffDelayMs(policy, 30, fullJitter)).toBe(1_000);
  });
});

describe("resolveRetryPolicy", () => {
  it("fills defaults and keeps overrides, ignoring undefined values", () => {
    expect(resolveRetryPolicy(undefined)).toEqual(defaultRetryPolicy);
    expect(resolveRetryPolicy({ maxAttempts: 2, initialDelayMs: undefined })).toEqual({
      ...defaultRetryPolicy,
      maxAttempts: 2,
    });
  });

  it("names the field that cannot work", () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/retry\.maxAttempts/);
    expect(() => resolveRetryPolicy({ maxAttempts: 1.5 })).toThrow(/retry\.maxAttempts/);
    expect(() => resolveRetryPolicy({ initialDelayMs: -1 })).toThrow(/retry\.initialDelayMs/);
    expect(() => resolveRetryPolicy({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(/retry\.maxDelayMs/);
  });
});

describe("sleepUnlessAborted", () => {
  it("returns early with 'aborted' when the signal fires", async () => {
    const shutdown = new AbortController();
    const started = Date.now();
    setTimeout(() => shutdown.abort(), 20);
    expect(await sleepUnlessAborted(5_000, shutdown.signal)).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("keeps the membership alive during a long wait", async () => {
    let keepAlives = 0;
    const outcome = await sleepUnlessAborted(130, new AbortController().signal, async () => void keepAlives++, 40);
    expect(outcome).toBe("elapsed");
    expect(keepAlives).toBeGreaterThanOrEqual(2);
  });

  it("abortableDelay resolves at once on an aborted signal", async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    const started = Date.now();
    await abortableDelay(5_000, shutdown.signal);
    expect(Date.now() - started).toBeLessThan(100);
  });
});
