import { Inject, Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { EMAIL_CONFIG, type EmailConfig } from "../config/email-config.js";
import { bestHour, emptyHistogram, nextLocalHour } from "./best-hour.js";

/** How far back engagement is learned from. */
const LOOKBACK_MS = 90 * 24 * 3_600_000;

/**
 * Send-time optimisation: learns each contact's best local hour from the opens and clicks recorded on past sends
 * (send ledger, last 90 days), with the workspace's hours as the fallback for contacts with fewer than
 * EMAIL_SEND_TIME_MIN_EVENTS events, and returns when to send within the next 24 hours.
 */
@Injectable()
export class SendTimeOptimizer {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
  ) {}

  /** When to send (`now` when no data or the contact is in its best hour now). One query for both histograms. */
  async bestTime(
    workspaceId: string,
    contactId: string,
    timeZone: string,
    now: Date,
  ): Promise<{ at: Date; hour: number | null; source: string }> {
    const rows = (await this.dataSource.query(
      `SELECT (contact_id = $2) AS own, extract(hour FROM t AT TIME ZONE $3)::int AS hour, count(*)::int AS n
       FROM (SELECT contact_id, opened_at AS t FROM channel_email.send_ledger WHERE workspace_id = $1 AND opened_at >= $4
             UNION ALL
             SELECT contact_id, clicked_at AS t FROM channel_email.send_ledger WHERE workspace_id = $1 AND clicked_at >= $4) engagement
       GROUP BY 1, 2`,
      [workspaceId, contactId, timeZone, new Date(now.getTime() - LOOKBACK_MS)],
    )) as Array<{ own: boolean; hour: number; n: number }>;
    const contact = emptyHistogram();
    const workspace = emptyHistogram();
    for (const row of rows) {
      workspace[row.hour] = (workspace[row.hour] ?? 0) + row.n;
      if (row.own) contact[row.hour] = (contact[row.hour] ?? 0) + row.n;
    }
    const best = bestHour(contact, workspace, this.config.EMAIL_SEND_TIME_MIN_EVENTS);
    if (!best) return { at: now, hour: null, source: "none" };
    return { at: nextLocalHour(now, best.hour, timeZone), hour: best.hour, source: best.source };
  }
}
