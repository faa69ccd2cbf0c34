#!/usr/bin/env node
// `npm start`: builds when the sources changed since the last build, then runs the embedded platform
// (every service in one process) in this process, so signals reach it directly.
// CASCADE_SERVICE=<name> runs one service instead (distributed mode).
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ensureBuilt, root } from "./ensure-built.mjs";

const service = process.env.CASCADE_SERVICE ?? "embedded";
const entry = `${root}dist/services/${service}/src/main.js`;
ensureBuilt();
if (!existsSync(entry)) {
  console.error(`No service named "${service}" (expected ${entry})`);
  process.exit(1);
}
process.chdir(root);
await import(pathToFileURL(entry).href);
