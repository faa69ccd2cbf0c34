import { z } from "zod";
import { booleanFlag, loadConfig, type Environment } from "@cascade/config";
import { parseDuration } from "@cascade/workflow";

/** A duration in the workflow notation (`90s`, `1h`, `2d`), parsed to milliseconds. */
const workflowDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const parsed = parseDuration(raw);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.milliseconds;
    });

/** The variables the triggers service reads (and only these). */
export const triggersConfigSchema = z.object({
  /**
   * How late (by event time) an event may arrive behind the newest event already counted for the same
   * trigger and contact and still be counted in its windows. Later events are skipped (metric `too_late`).
   */
  TRIGGERS_ALLOWED_LATENESS: workflowDuration("1h"),
  /**
   * Catch-up after downtime: a scheduled firing missed by less than this is still fired (late, once);
   * older missed firings are recorded as missed and not fired.
   */
  TRIGGERS_CATCH_UP_WINDOW: workflowDuration("24h"),
  /** How often the scheduler looks for due time-based firings. */
  TRIGGERS_SCHEDULER_INTERVAL: workflowDuration("1s"),
  /** Run the scheduler in this process (every replica may; claims are exclusive). */
  TRIGGERS_SCHEDULER_ENABLED: booleanFlag().default(true),
  /** How often each replica reloads changed workflow definitions into its in-memory index. */
  TRIGGERS_INDEX_REFRESH_INTERVAL: workflowDuration("2s"),
});

/** Injection token and type of the triggers service's parsed settings. */
export abstract class TriggersConfig {
  abstract readonly allowedLatenessMs: number;
  abstract readonly catchUpWindowMs: number;
  abstract readonly schedulerIntervalMs: number;
  abstract readonly schedulerEnabled: boolean;
  abstract readonly indexRefreshIntervalMs: number;
}

/** Parses the variables once; a bad value stops start-up naming the variable. */
export function loadTriggersConfig(env: Environment): TriggersConfig {
  const settings = loadConfig(triggersConfigSchema, env);
  return {
    allowedLatenessMs: settings.TRIGGERS_ALLOWED_LATENESS,
    catchUpWindowMs: settings.TRIGGERS_CATCH_UP_WINDOW,
    schedulerIntervalMs: settings.TRIGGERS_SCHEDULER_INTERVAL,
    schedulerEnabled: settings.TRIGGERS_SCHEDULER_ENABLED,
    indexRefreshIntervalMs: settings.TRIGGERS_INDEX_REFRESH_INTERVAL,
  };
}
