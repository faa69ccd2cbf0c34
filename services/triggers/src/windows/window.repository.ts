import type { EntityManager } from "typeorm";
import type { CountWindow } from "../matching/compiled-trigger.js";
import { longestWindowMs, windowsSatisfied } from "./sliding-window.js";

export interface CountedEvent {
  workspaceId: string;
  triggerKey: string;
  contactId: string;
  eventId: string;
  eventTime: Date;
  windows: readonly CountWindow[];
  /** How far behind the newest counted event (by event time) an event may be and still count. */
  allowedLatenessMs: number;
}

/**
 * - `fired`: the windows are satisfied; the events counted so far are consumed (the next firing needs new ones)
 * - `counted`: stored, not enough yet
 * - `too_late`: older than the newest counted event minus the allowed lateness; not counted
 * - `duplicate`: this event id was counted before (a replay)
 */
export type WindowOutcome = "fired" | "counted" | "too_late" | "duplicate";

/**
 * Counting windows in PostgreSQL, per (trigger, contact): one row per qualifying event (keyed by event id, so
 * a replay counts nothing twice), a watermark (newest event time seen) and `consumed_until` (events at or
 * before it were used by a firing). Rows are pruned once they can no longer fall into a window that an
 * event inside the lateness bound could open. Run inside the event's transaction.
 */
export class WindowRepository {
  async count(manager: EntityManager, counted: CountedEvent): Promise<WindowOutcome> {
    const { workspaceId, triggerKey, contactId, eventId, eventTime, windows, allowedLatenessMs } = counted;
    const key = [workspaceId, triggerKey, contactId];
    const state: Array<{ watermark: Date; consumed_until: Date | null }> = await manager.query(
      `SELECT watermark, consumed_until FROM triggers.window_state
        WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3 FOR UPDATE`,
      key,
    );
    const previous = state[0];
    if (previous && eventTime.getTime() < previous.watermark.getTime() - allowedLatenessMs) return "too_late";

    const inserted: unknown[] = await manager.query(
      `INSERT INTO triggers.window_events (workspace_id, trigger_key, contact_id, event_id, event_time)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING event_id`,
      [...key, eventId, eventTime],
    );
    if (inserted.length === 0) return "duplicate";

    const watermark = new Date(Math.max(eventTime.getTime(), previous?.watermark.getTime() ?? 0));
    const consumedUntil = previous?.consumed_until ?? null;
    const reach = longestWindowMs(windows);
    const rows: Array<{ event_time: Date }> = await manager.query(
      `SELECT event_time FROM triggers.window_events
        WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3
          AND event_time >= $4 AND event_time <= $5 AND ($6::timestamptz IS NULL OR event_time > $6)
        ORDER BY event_time`,
      [...key, new Date(eventTime.getTime() - reach), new Date(eventTime.getTime() + reach), consumedUntil],
    );
    const consumed = consumedUntil !== null && eventTime.getTime() <= consumedUntil.getTime();
    const fired =
      !consumed &&
      windowsSatisfied(
        rows.map((row) => row.event_time.getTime()),
        eventTime.getTime(),
        windows,
      );
    const nextConsumedUntil = fired ? watermark : consumedUntil;

    await manager.query(
      `INSERT INTO triggers.window_state (workspace_id, trigger_key, contact_id, watermark, consumed_until)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, trigger_key, contact_id)
       DO UPDATE SET watermark = EXCLUDED.watermark, consumed_until = EXCLUDED.consumed_until`,
      [...key, watermark, nextConsumedUntil],
    );
    // Nothing older than this can be counted again: it is consumed, or beyond the reach of any event that
    // is still inside the lateness bound.
    const horizon = Math.max(watermark.getTime() - allowedLatenessMs - reach, nextConsumedUntil?.getTime() ?? 0);
    await manager.query(
      `DELETE FROM triggers.window_events
        WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3 AND event_time < $4`,
      [...key, new Date(horizon)],
    );
    return fired ? "fired" : "counted";
  }
}
