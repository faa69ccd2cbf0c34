/** Engagement (opens + clicks) per local hour 0..23. */
export type HourHistogram = ReadonlyArray<number>;

export const emptyHistogram = (): number[] => Array.from({ length: 24 }, () => 0);

const total = (histogram: HourHistogram): number => histogram.reduce((sum, count) => sum + count, 0);

/**
 * The hour to send at: the most engaged local hour of the contact when it has at least `minEvents` opens and
 * clicks, else the workspace's most engaged hour, else undefined (no data: send now). Ties go to the earliest hour.
 */
export function bestHour(
  contact: HourHistogram,
  workspace: HourHistogram,
  minEvents: number,
): { hour: number; source: "contact" | "workspace" } | undefined {
  const source =
    total(contact) >= minEvents && total(contact) > 0 ? "contact" : total(workspace) > 0 ? "workspace" : undefined;
  if (!source) return undefined;
  const histogram = source === "contact" ? contact : workspace;
  let hour = 0;
  for (let candidate = 1; candidate < 24; candidate += 1)
    if ((histogram[candidate] ?? 0) > (histogram[hour] ?? 0)) hour = candidate;
  return { hour, source };
}

/**
 * The start of the next `hour` in `timeZone` within 24 hours of `now`; `now` itself when the contact is already in
 * that hour. Steps 15 minutes so half- and quarter-hour zones work.
 */
export function nextLocalHour(now: Date, hour: number, timeZone: string): Date {
  if (localHour(now, timeZone) === hour) return now;
  const start = new Date(now);
  start.setUTCMinutes(Math.floor(start.getUTCMinutes() / 15) * 15, 0, 0);
  for (let minutes = 15; minutes <= 24 * 60; minutes += 15) {
    const candidate = new Date(start.getTime() + minutes * 60_000);
    if (localHour(candidate, timeZone) === hour) return candidate;
  }
  return now;
}

/** The contact's local hour in `timeZone` at `at`; throws RangeError for an unknown time zone. */
function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(at);
  return Number(hour) % 24;
}
