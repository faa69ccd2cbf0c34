/**
 * Durations as written in workflow definitions and expressions: one or more `<integer><unit>` parts,
 * e.g. `2d`, `1h30m`, `500ms`, optionally signed (`-7d`) where an offset is meant.
 * Units: w (weeks), d (days), h (hours), m (minutes), s (seconds), ms (milliseconds).
 */

export const DURATION_UNIT_MS = {
  w: 7 * 24 * 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  h: 60 * 60 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
} as const;

export type DurationUnit = keyof typeof DURATION_UNIT_MS;

export type DurationParseResult =
  { readonly ok: true; readonly milliseconds: number } | { readonly ok: false; readonly message: string };

const UNITS_LONGEST_FIRST: readonly DurationUnit[] = ["ms", "w", "d", "h", "m", "s"];

function isDigit(char: string): boolean {
  return char >= "0" && char <= "9";
}

/**
 * Parses a duration such as `2d` or `1h30m` into milliseconds.
 * With `allowSign`, a leading `+` or `-` is accepted (offsets such as `-7d`).
 */
export function parseDuration(text: string, options: { allowSign?: boolean } = {}): DurationParseResult {
  const source = text.trim();
  let index = 0;
  let sign = 1;
  if (source[0] === "-" || source[0] === "+") {
    if (!options.allowSign) return { ok: false, message: `duration '${text}' must not be signed` };
    sign = source[0] === "-" ? -1 : 1;
    index = 1;
  }
  if (index >= source.length) return { ok: false, message: `empty duration '${text}'` };
  let total = 0;
  while (index < source.length) {
    const digitsStart = index;
    while (index < source.length && isDigit(source[index] as string)) index++;
    if (index === digitsStart) {
      return { ok: false, message: `invalid duration '${text}': expected a number at position ${index + 1}` };
    }
    const amount = Number(source.slice(digitsStart, index));
    const unit = UNITS_LONGEST_FIRST.find((candidate) => source.startsWith(candidate, index));
    if (!unit) {
      return {
        ok: false,
        message: `invalid duration '${text}': expected a unit (w, d, h, m, s, ms) at position ${index + 1}`,
      };
    }
    index += unit.length;
    total += amount * DURATION_UNIT_MS[unit];
  }
  return { ok: true, milliseconds: sign * total };
}

/** Parses a duration or throws a RangeError naming the bad value. */
export function durationToMilliseconds(text: string, options: { allowSign?: boolean } = {}): number {
  const result = parseDuration(text, options);
  if (!result.ok) throw new RangeError(result.message);
  return result.milliseconds;
}

/** Formats milliseconds back into the compact form, e.g. 93_600_000 → `1d2h`. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds === 0) return "0s";
  const sign = milliseconds < 0 ? "-" : "";
  let rest = Math.abs(Math.trunc(milliseconds));
  let text = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = DURATION_UNIT_MS[unit];
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return sign + text;
}
