// A cheap fingerprint of the sources that go into dist/: paths, sizes and modification times.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SKIP = new Set(["node_modules", "dist", ".cascade", "test"]);

export function sourceFingerprint(root) {
  const entries = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|json|css|html|mjs)$/.test(entry.name) && !/\.(int-)?spec\.tsx?$/.test(entry.name)) {
        const stat = statSync(path);
        entries.push(`${path}:${stat.size}:${Math.trunc(stat.mtimeMs)}`);
      }
    }
  };
  for (const dir of ["libs", "services", "bench"]) {
    try {
      walk(join(root, dir));
    } catch {
      // a missing top-level folder contributes nothing
    }
  }
  for (const file of [".swcrc", "package-lock.json"]) {
    try {
      const stat = statSync(join(root, file));
      entries.push(`${file}:${stat.size}:${Math.trunc(stat.mtimeMs)}`);
    } catch {
      // optional
    }
  }
  return entries.sort().join("\n");
}
