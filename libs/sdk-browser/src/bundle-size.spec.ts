import { describe, expect, it } from "vitest";
import { buildSdk } from "../build.mjs";

/** The budget for the SDK a page downloads: under 10 KB minified and gzipped. */
const GZIPPED_BUDGET_BYTES = 10 * 1024;

describe("sdk-browser bundle size", () => {
  it("keeps both builds under 10 KB gzipped, and the script-tag build exposes the global `cascade`", async () => {
    const { esm, iife } = await buildSdk({ write: false });
    expect(esm.gzipped).toBeGreaterThan(0);
    expect(esm.gzipped).toBeLessThan(GZIPPED_BUDGET_BYTES);
    expect(iife.gzipped).toBeLessThan(GZIPPED_BUDGET_BYTES);
    expect(iife.code).toMatch(/^("use strict";)?var cascade=\(/);
    expect(esm.code).toContain("createCascade");
  }, 30_000);

  it("builds web push apart from the tracking SDK: push module and service worker, each under 10 KB gzipped", async () => {
    const { esm, pushEsm, pushIife, serviceWorker } = await buildSdk({ write: false });
    for (const file of [pushEsm, pushIife, serviceWorker]) {
      expect(file.gzipped).toBeGreaterThan(0);
      expect(file.gzipped).toBeLessThan(GZIPPED_BUDGET_BYTES);
    }
    expect(esm.code).not.toContain("pushManager");
    expect(pushEsm.code).toContain("pushManager");
    expect(pushIife.code).not.toMatch(/^("use strict";)?var cascade=/);
    expect(serviceWorker.code).toContain("notificationclick");
  }, 30_000);
});
