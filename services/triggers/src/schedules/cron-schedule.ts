import { Cron } from "croner";

const compiled = new Map<string, Cron>();

function cronOf(pattern: string, timezone: string): Cron {
  const key = `${pattern}\u0000${timezone}`;
  let cron = compiled.get(key);
  if (!cron) {
    // Standard cron semantics: when both day-of-month and day-of-week are restricted, either may match.
    cron = new Cron(pattern, { timezone, paused: true, domAndDow: false });
    compiled.set(key, cron);
  }
  return cron;
}

/** The first tick of `pattern` in `timezone` strictly after `after`, or undefined when there is none. */
export function nextTick(pattern: string, timezone: string, after: Date): Date | undefined {
  return cronOf(pattern, timezone).nextRun(after) ?? undefined;
}

/** What the scheduler does with a due cron schedule. */
export interface CronPlan {
  /** The tick to fire now, if any. */
  readonly fire?: Date;
  /** Ticks that were due but are not fired (older ones during downtime, or all beyond the catch-up window). */
  readonly missed: number;
  /** Where the schedule goes next (strictly after now). */
  readonly next: Date | undefined;
}

const MAX_TICKS_SCANNED = 100_000;

/**
 * Catch-up policy for a schedule whose tick `due` has passed: only the most recent passed tick fires, and only
 * when it is at most `catchUpWindowMs` old; older passed ticks (missed while no replica was running) are counted
 * as missed, never fired in a burst.
 */
export function planCronFiring(
  pattern: string,
  timezone: string,
  due: Date,
  now: Date,
  catchUpWindowMs: number,
): CronPlan {
  let latest = due;
  let passed = 1;
  for (
    let tick = nextTick(pattern, timezone, due);
    tick && tick.getTime() <= now.getTime();
    tick = nextTick(pattern, timezone, tick)
  ) {
    latest = tick;
    if (++passed > MAX_TICKS_SCANNED) break;
  }
  const next = nextTick(pattern, timezone, now);
  if (now.getTime() - latest.getTime() > catchUpWindowMs) return { missed: passed, next };
  return { fire: latest, missed: passed - 1, next };
}
