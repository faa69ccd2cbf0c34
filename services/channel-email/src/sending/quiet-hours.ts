import { QuietHours } from "@cascade/compliance";

/**
 * Quiet hours of marketing mail from EMAIL_QUIET_HOURS_START / EMAIL_QUIET_HOURS_END: the local hours [start, end)
 * when nothing is sent (may wrap midnight, e.g. 21 → 8). libs/compliance takes the window when sending is allowed,
 * which is their complement; equal hours mean no quiet hours.
 */
export function emailQuietHours(quietStart: number, quietEnd: number): QuietHours {
  return new QuietHours({ start: clockTime(quietEnd), end: clockTime(quietStart) });
}

const clockTime = (hour: number): string => `${String(hour).padStart(2, "0")}:00`;
