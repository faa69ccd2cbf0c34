/**
 * Safe glob matching for `matches(text, pattern)` and URL patterns: `*` matches any run of characters,
 * `?` exactly one, `\` escapes the next character; everything else is literal. Runs in O(text × pattern)
 * worst case with no backtracking blow-up and no regular expressions.
 */
export function globMatches(text: string, pattern: string, options: { caseInsensitive?: boolean } = {}): boolean {
  const subject = options.caseInsensitive ? text.toLowerCase() : text;
  const tokens = tokenize(options.caseInsensitive ? pattern.toLowerCase() : pattern);
  let textIndex = 0;
  let tokenIndex = 0;
  let starTokenIndex = -1;
  let starTextIndex = 0;
  while (textIndex < subject.length) {
    const token = tokens[tokenIndex];
    if (
      token !== undefined &&
      (token.kind === "any-char" || (token.kind === "literal" && token.char === subject[textIndex]))
    ) {
      textIndex++;
      tokenIndex++;
    } else if (token !== undefined && token.kind === "star") {
      starTokenIndex = tokenIndex++;
      starTextIndex = textIndex;
    } else if (starTokenIndex >= 0) {
      tokenIndex = starTokenIndex + 1;
      textIndex = ++starTextIndex;
    } else {
      return false;
    }
  }
  while (tokens[tokenIndex]?.kind === "star") tokenIndex++;
  return tokenIndex === tokens.length;
}

type GlobToken =
  { readonly kind: "star" } | { readonly kind: "any-char" } | { readonly kind: "literal"; readonly char: string };

function tokenize(pattern: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === "\\" && i + 1 < pattern.length) {
      tokens.push({ kind: "literal", char: pattern[++i] as string });
    } else if (char === "*") {
      if (tokens[tokens.length - 1]?.kind !== "star") tokens.push({ kind: "star" });
    } else if (char === "?") {
      tokens.push({ kind: "any-char" });
    } else {
      tokens.push({ kind: "literal", char });
    }
  }
  return tokens;
}
