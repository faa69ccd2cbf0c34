/**
 * URL patterns are case-insensitive globs (`*` any run, `?` one character, `\` escapes) over the whole URL,
 * e.g. `*\/pricing*`. A leading `*` makes a prefix index unsound (`*\/pricing*` matches `/en/pricing`), so the
 * index keys a pattern by a GRAM: a run of {@link GRAM_LENGTH} characters that every matching URL must contain
 * (taken from the pattern's longest literal run). An event's URL is looked up by each of its grams; a pattern
 * whose literal runs are all shorter than a gram cannot be indexed and is checked for every URL.
 */
export const GRAM_LENGTH = 4;

/** The literal runs of a glob, lower-cased (what every match must contain, in order). */
export function literalRuns(pattern: string): string[] {
  const runs: string[] = [];
  let current = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "\\" && i + 1 < pattern.length) {
      current += (pattern[++i] as string).toLowerCase();
    } else if (char === "*" || char === "?") {
      if (current) runs.push(current);
      current = "";
    } else {
      current += char.toLowerCase();
    }
  }
  if (current) runs.push(current);
  return runs;
}

/** The gram a pattern is indexed by (the last gram of its longest literal run), or undefined when none is long enough. */
export function indexGramOf(pattern: string): string | undefined {
  let longest = "";
  for (const run of literalRuns(pattern)) if (run.length > longest.length) longest = run;
  return longest.length >= GRAM_LENGTH ? longest.slice(longest.length - GRAM_LENGTH) : undefined;
}

/** Calls `visit` with every distinct gram of a (lower-cased) URL. */
export function forEachGram(lowerUrl: string, visit: (gram: string) => void): void {
  for (let i = 0; i + GRAM_LENGTH <= lowerUrl.length; i++) visit(lowerUrl.slice(i, i + GRAM_LENGTH));
}
