// Builds dist/ when the sources changed since the last build (shared by start, bench and the ML CLI).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";
import { sourceFingerprint } from "./source-fingerprint.mjs";

export const root = fileURLToPath(new URL("..", import.meta.url));

export function ensureBuilt() {
  const stamp = `${root}dist/.fingerprint`;
  const fresh = existsSync(stamp) && readFileSync(stamp, "utf8") === sourceFingerprint(root);
  if (!fresh) build();
}
