/**
 * Quiet hours: a marketing message is sent only inside the recipient's allowed window in THEIR local time
 * (default 08:00–21:00). Outside it the send is deferred to the next window start, never dropped.
 */
export interface QuietHoursWindow {
  /** Local time the window opens, "HH:MM" (inclusive). */
  start: string;
  /** Local time the window closes, "HH:MM" (exclusive). */
  end: string;
}

export const DEFAULT_SEND_WINDOW: QuietHoursWindow = { start: "08:00", end: "21:00" };

export type QuietHoursDecision = { allowed: true } | { allowed: false; nextAllowedAt: Date; localTime: string };

export class QuietHoursError extends Error {
  constructor(
    readonly field: "timezone" | "start" | "end",
    message: string,
  ) {
    super(message);
    this.name = "QuietHoursError";
  }
}

const MINUTES_PER_DAY = 24 * 60;

export class QuietHours {
  private readonly startMinute: number;
  private readonly endMinute: number;

  constructor(readonly window: QuietHoursWindow = DEFAULT_SEND_WINDOW) {
    this.startMinute = parseClockTime(window.start, "start");
    this.endMinute = parseClockTime(window.end, "end");
  }

  /** Whether a message may go out at `at` to someone in `timeZone` (IANA, e.g. "America/New_York"). */
  check(at: Date, timeZone: string): QuietHoursDecision {
    const local = localMinuteOfDay(at, timeZone);
    if (this.inside(local)) return { allowed: true };
    const wait = (this.startMinute - local + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    // Round to the start of the minute so the deferred time lands exactly on the window opening.
    const base = Math.floor(at.getTime() / 60_000) * 60_000;
    let next = new Date(base + wait * 60_000);
    // A DST change between now and then shifts local time by up to an hour; correct once.
    const landed = localMinuteOfDay(next, timeZone);
    if (landed !== this.startMinute)
      next = new Date(
        next.getTime() + (((this.startMinute - landed + MINUTES_PER_DAY + 720) % MINUTES_PER_DAY) - 720) * 60_000,
      );
    return { allowed: false, nextAllowedAt: next, localTime: formatMinute(local) };
  }

  private inside(minute: number): boolean {
    if (this.startMinute === this.endMinute) return true;
    return this.startMinute < this.endMinute
      ? minute >= this.startMinute && minute < this.endMinute
      : minute >= this.startMinute || minute < this.endMinute; // a window across midnight
  }
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function localMinuteOfDay(at: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(at);
  } catch {
    throw new QuietHoursError("timezone", `timezone: "${timeZone}" is not an IANA time zone`);
  }
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? "0");
  const minute = Number(parts.find((part) => part.type === "minute")?.value ?? "0");
  return (hour % 24) * 60 + minute;
}

function parseClockTime(value: string, field: "start" | "end"): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new QuietHoursError(field, `${field}: "${value}" is not a time of day HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}
