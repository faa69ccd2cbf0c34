import { isValidTimeZone } from "@cascade/workflow";
import type { DatePropertyTrigger } from "../matching/compiled-trigger.js";
import type { ContactView } from "../matching/evaluation-context.js";

/** Offset of `timezone` from UTC at `instant`, in ms (positive east of Greenwich). */
export function timeZoneOffsetMs(instant: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const field = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of wall-clock `hh:mm` on calendar day (year, month 0-11, day) in `timezone`. */
export function wallClockInstant(year: number, month: number, day: number, localTime: string, timezone: string): Date {
  const [hours, minutes] = localTime.split(":").map(Number) as [number, number];
  const wall = Date.UTC(year, month, day, hours, minutes);
  // Two passes settle the offset across a DST change.
  let guess = wall - timeZoneOffsetMs(new Date(wall), timezone);
  guess = wall - timeZoneOffsetMs(new Date(guess), timezone);
  return new Date(guess);
}

/** The instant of wall-clock `hh:mm` on the local calendar day of `instant` in `timezone`. */
export function atLocalTime(instant: Date, localTime: string, timezone: string): Date {
  const local = new Date(instant.getTime() + timeZoneOffsetMs(instant, timezone));
  return wallClockInstant(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), localTime, timezone);
}

/** Reads a dotted path of own properties of plain objects; undefined when any step is missing. */
function readPath(root: unknown, segments: readonly string[]): unknown {
  let value: unknown = root;
  for (const segment of segments) {
    if (value === null || typeof value !== "object" || !Object.prototype.hasOwnProperty.call(value, segment))
      return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function toDate(value: unknown): Date | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value);
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * When a date-property trigger fires for a contact: the date property plus the offset, at the local time `at`
 * in the contact's time zone (else the trigger's fallback). A date-only value (`2025-07-15`) is a calendar day:
 * the offset moves the day and `at` (default 00:00) is read on it in that zone. A timestamp is an instant: the
 * offset moves the instant, and `at`, when given, is applied on its local day. Undefined without a usable date.
 */
export function dateFiringOf(trigger: DatePropertyTrigger, contact: ContactView): Date | undefined {
  const raw = readPath({ contact }, trigger.property);
  const base = toDate(raw);
  if (!base) return undefined;
  const timezone = contact.timezone && isValidTimeZone(contact.timezone) ? contact.timezone : trigger.fallbackTimezone;
  const shifted = new Date(base.getTime() + trigger.offsetMs);
  if (typeof raw === "string" && DATE_ONLY.test(raw)) {
    return wallClockInstant(
      shifted.getUTCFullYear(),
      shifted.getUTCMonth(),
      shifted.getUTCDate(),
      trigger.at ?? "00:00",
      timezone,
    );
  }
  return trigger.at === undefined ? shifted : atLocalTime(shifted, trigger.at, timezone);
}
