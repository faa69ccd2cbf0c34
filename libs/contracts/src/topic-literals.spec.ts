import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ALL_TOPICS } from "./topics.js";

/**
 * Enforces the registry rule: topic names are written down only in topics.ts. Everyone else uses
 * `Topics.<Name>` (and `renamedTopic` for per-test names), so a renamed or re-versioned topic
 * cannot leave a stale string behind.
 */
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const scannedDirs = ["libs", "services", "scripts", "bench", "deploy", "docs/examples"];
const skippedDirs = new Set(["node_modules", "dist", "gen", ".nx", "coverage", "target", "lib"]);
const sourceFile = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
const contractsSrc = join(repoRoot, "libs/contracts/src");
// The registry itself, and this library's own tests, which assert the names.
const allowed = (file: string): boolean =>
  file === join(contractsSrc, "topics.ts") || (file.startsWith(contractsSrc) && file.endsWith(".spec.ts"));

function* sourceFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // a directory that does not exist (yet)
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) yield* sourceFiles(path);
    } else if (sourceFile.test(entry.name) && !allowed(path)) {
      yield path;
    }
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A quote, a topic name, then the closing quote or the start of a suffix (".dlq", ".t-1", "-x", "${").
const topicLiteral = new RegExp(`["'\`](?:${ALL_TOPICS.map((t) => escape(t.name)).join("|")})(?=["'\`.\\-]|\\$\\{)`);

/** Doc comments may name topics; code may not. */
const isComment = (line: string): boolean => /^\s*(?:\/\/|\/\*|\*)/.test(line);

describe("topic names", () => {
  it("appear as string literals only in libs/contracts/src/topics.ts", () => {
    const offenders: string[] = [];
    for (const dir of scannedDirs) {
      for (const file of sourceFiles(join(repoRoot, dir))) {
        readFileSync(file, "utf8")
          .split("\n")
          .forEach((line, index) => {
            if (!isComment(line) && topicLiteral.test(line))
              offenders.push(`${relative(repoRoot, file)}:${index + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders, "use Topics.<Name> from @cascade/contracts instead").toEqual([]);
  });
});
