#!/usr/bin/env node
// `npm start`: builds when the sources changed since the last build, then runs the embedded platform
// (every service in one process) in this process, so signals reach it directly.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "./build.mjs";
import { sourceFingerprint } from "./source-fingerprint.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = `${root}dist/.fingerprint`;
const service = process.env.CASCADE_SERVICE ?? "embedded";
const entry = `${root}dist/services/${service}/src/main.js`;

const fresh = existsSync(stamp) && existsSync(entry) && readFileSync(stamp, "utf8") === sourceFingerprint(root);
if (!fresh) build();
if (!existsSync(entry)) {
  console.error(`No service named "${service}" (expected ${entry})`);
  process.exit(1);
}
process.chdir(root);
await import(pathToFileURL(entry).href);
