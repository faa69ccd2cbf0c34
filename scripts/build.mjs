#!/usr/bin/env node
// Builds the workspace into dist/ with SWC (decorator metadata on, @cascade/* aliases rewritten to
// relative paths), skipping tests. Type checking is separate (`npm run typecheck`) so a start stays fast.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sourceFingerprint } from "./source-fingerprint.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const swc = `${root}node_modules/.bin/swc`;

export function build() {
  const started = Date.now();
  rmSync(`${root}dist`, { recursive: true, force: true });
  const dirs = ["libs", "services", "bench"].filter((dir) => existsSync(`${root}${dir}`));
  const result = spawnSync(
    swc,
    [...dirs, "-d", "dist", "--copy-files", "--ignore", "**/*.spec.ts,**/*.int-spec.ts,**/*.spec.tsx,**/ui/**,**/*.md"],
    { cwd: root, stdio: "inherit" },
  );
  if (result.status !== 0) throw new Error(`swc failed with exit code ${result.status}`);
  // Browser bundles: the tracking SDK (script tag and ES module) and the studio's builder UI (Vite).
  for (const script of ["libs/sdk-browser/build.mjs", "services/studio/ui/build.mjs"]) {
    if (!existsSync(`${root}${script}`)) continue;
    const bundle = spawnSync(process.execPath, [script], { cwd: root, stdio: "inherit" });
    if (bundle.status !== 0) throw new Error(`${script} failed with exit code ${bundle.status}`);
  }
  writeFileSync(`${root}dist/.fingerprint`, sourceFingerprint(root));
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
