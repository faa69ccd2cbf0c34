/** The contact's local hour in `timeZone` at `at`; throws RangeError for an unknown time zone. */
export function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" }).format(at);
  return Number(hour) % 24;
}

/**
 * Quiet hours [startHour, endHour) in the contact's time zone (may wrap midnight, e.g. 21 → 8).
 * `until` returns when they end, or undefined when `at` is outside them.
 */
export class QuietHours {
  constructor(
    readonly startHour: number,
    readonly endHour: number,
  ) {}

  isQuiet(at: Date, timeZone: string): boolean {
    if (this.startHour === this.endHour) return false;
    const hour = localHour(at, timeZone);
    return this.startHour < this.endHour
      ? hour >= this.startHour && hour < this.endHour
      : hour >= this.startHour || hour < this.endHour;
  }

  /** The first full hour at which quiet hours are over (time zones with half hours are handled by stepping minutes). */
  until(at: Date, timeZone: string): Date | undefined {
    if (!this.isQuiet(at, timeZone)) return undefined;
    const step = new Date(at);
    step.setUTCSeconds(0, 0);
    for (let minutes = 0; minutes <= 24 * 60; minutes += 15) {
      const candidate = new Date(step.getTime() + minutes * 60_000);
      candidate.setUTCMinutes(Math.floor(candidate.getUTCMinutes() / 15) * 15);
      if (candidate > at && !this.isQuiet(candidate, timeZone)) return candidate;
    }
    return new Date(at.getTime() + 24 * 3_600_000);
  }
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
