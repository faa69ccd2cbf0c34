#!/usr/bin/env node
// `npm run bench -- <name> [args]` runs bench/<name>.ts (built to dist/bench/<name>.js).
// Each benchmark prints its figures beside a baseline measured in the same run, as ratios.
// `npm run bench` alone lists them.
import { readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ensureBuilt, root } from "./ensure-built.mjs";

const names = readdirSync(`${root}bench`)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".spec.ts") && !file.startsWith("_"))
  .map((file) => file.replace(/\.ts$/, ""));
const [, , name, ...rest] = process.argv;
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${names.join(", ")}`);
  process.exit(name ? 2 : 0);
}
ensureBuilt();
process.argv = [process.argv[0], `${root}dist/bench/${name}.js`, ...rest];
await import(pathToFileURL(`${root}dist/bench/${name}.js`).href);
