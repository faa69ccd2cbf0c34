import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";

/** ingest.email_engagement: opens and clicks counted per send (workspace + idempotency key). */
@Injectable()
export class EmailEngagementRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Counts one more open (or click) of a send; returns the new count. */
  async count(workspaceId: string, sendKey: string, kind: "open" | "click", at: Date): Promise<number> {
    const column = kind === "open" ? "opens" : "clicks";
    const rows = (await this.dataSource.query(
      `INSERT INTO ingest.email_engagement AS e (workspace_id, send_key, ${column}, first_opened_at, last_opened_at)
       VALUES ($1, $2, 1, $3, $3)
       ON CONFLICT (workspace_id, send_key) DO UPDATE SET
         ${column} = e.${column} + 1,
         first_opened_at = CASE WHEN $4 THEN COALESCE(e.first_opened_at, $3) ELSE e.first_opened_at END,
         last_opened_at = CASE WHEN $4 THEN $3 ELSE e.last_opened_at END
       RETURNING ${column} AS n`,
      [workspaceId, sendKey, at, kind === "open"],
    )) as Array<{ n: number }>;
    return Number(rows[0]?.n ?? 1);
  }
}
