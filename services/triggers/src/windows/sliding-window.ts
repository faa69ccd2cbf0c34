import type { CountWindow } from "../matching/compiled-trigger.js";

/**
 * Whether the events counted so far satisfy every window once the event at `newTime` is added: for each
 * window there must be a span of at most `withinMs` that contains the new event and at least `min` events.
 * Windows are by event time, so an out-of-order event counts where it belongs, not where it arrived.
 *
 * @param sortedTimes event times (ms) of the counted, unconsumed events, ascending, including `newTime`
 */
export function windowsSatisfied(
  sortedTimes: readonly number[],
  newTime: number,
  windows: readonly CountWindow[],
): boolean {
  return windows.every((window) => maxCountAround(sortedTimes, newTime, window.withinMs) >= window.min);
}

/** The largest number of events in any span of `withinMs` that contains `newTime`. */
export function maxCountAround(sortedTimes: readonly number[], newTime: number, withinMs: number): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < sortedTimes.length; start++) {
    const from = sortedTimes[start] as number;
    if (from > newTime) break;
    if (from < newTime - withinMs) continue;
    if (end < start) end = start;
    while (end + 1 < sortedTimes.length && (sortedTimes[end + 1] as number) - from <= withinMs) end++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** The longest window of a trigger (how far back and forward from an event its count can reach). */
export const longestWindowMs = (windows: readonly CountWindow[]): number =>
  windows.reduce((longest, window) => Math.max(longest, window.withinMs), 0);
