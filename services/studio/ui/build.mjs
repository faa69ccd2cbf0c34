#!/usr/bin/env node
// Builds the studio's builder UI with Vite into dist/studio-ui (served by the studio service at /).
// Run after the SWC build (scripts/build.mjs empties dist/): `node services/studio/ui/build.mjs`.
import { fileURLToPath } from "node:url";
import { build } from "vite";

export async function buildStudioUi() {
  const started = Date.now();
  await build({ configFile: fileURLToPath(new URL("./vite.config.ts", import.meta.url)) });
  console.log(`built dist/studio-ui in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildStudioUi();
