#!/usr/bin/env node
// Runs a built module (path under dist/) after building when needed; the remaining arguments are its own.
//   node scripts/run-built.mjs dist/libs/ml/src/cli.js train --csv ...
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ensureBuilt, root } from "./ensure-built.mjs";

const [, , target, ...rest] = process.argv;
if (!target) {
  console.error("usage: node scripts/run-built.mjs <dist/...js> [args...]");
  process.exit(2);
}
ensureBuilt();
const entry = `${root}${target}`;
if (!existsSync(entry)) {
  console.error(`${target} does not exist after the build`);
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(entry).href);
