import { describe, expect, it } from "vitest";
import { busCheck, dataSourceCheck } from "./readiness-check.js";
import { DuplicateReadinessCheckError, ReadinessRegistry } from "./readiness-registry.js";

describe("ReadinessRegistry", () => {
  it("is ready with no checks and with passing checks", async () => {
    const registry = new ReadinessRegistry();
    expect(await registry.evaluate()).toEqual({ ready: true, failing: [], checks: {} });
    registry.register(busCheck({ ping: async () => true }));
    expect(await registry.evaluate()).toEqual({ ready: true, failing: [], checks: { bus: "ok" } });
  });

  it("names every failing check and why", async () => {
    const registry = new ReadinessRegistry({ checkTimeoutMs: 20 });
    registry.register({ name: "ok", check: async () => true });
    registry.register(busCheck({ ping: async () => false }));
    registry.register(dataSourceCheck({ query: () => Promise.reject(new Error("connection refused")) }));
    registry.register({ name: "slow", check: () => new Promise<boolean>(() => undefined) });
    expect(await registry.evaluate()).toEqual({
      ready: false,
      failing: ["bus", "database", "slow"],
      checks: { ok: "ok", bus: "not ready", database: "failed: connection refused", slow: "timed out after 20ms" },
    });
  });

  it("runs SELECT 1 for the database check and fails an uninitialised data source", async () => {
    const queries: string[] = [];
    const check = dataSourceCheck({ query: async (sql) => void queries.push(sql) });
    expect(await check.check()).toBe(true);
    expect(queries).toEqual(["SELECT 1"]);
    expect(await dataSourceCheck({ isInitialized: false, query: async () => undefined }).check()).toBe(false);
  });

  it("rejects duplicate names and removes a check on unregister", async () => {
    const registry = new ReadinessRegistry();
    const unregister = registry.register(busCheck({ ping: async () => false }));
    expect(() => registry.register(busCheck({ ping: async () => true }))).toThrow(DuplicateReadinessCheckError);
    unregister();
    expect((await registry.evaluate()).ready).toBe(true);
  });

  it("reports not ready once the application shuts down", async () => {
    const registry = new ReadinessRegistry();
    registry.beforeApplicationShutdown();
    expect(await registry.evaluate()).toEqual({
      ready: false,
      failing: ["shutdown"],
      checks: { shutdown: "shutting down" },
    });
  });
});
