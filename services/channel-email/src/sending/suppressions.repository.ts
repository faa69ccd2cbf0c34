import type { EntityManager } from "typeorm";

export type SuppressionReason = "hard_bounce" | "complaint" | "manual";

/** channel_email.suppressions (no mail at all, except transactional after a complaint) and subscriptions (per topic, `*` = all marketing). */
export class SuppressionsRepository {
  async suppress(
    manager: EntityManager,
    workspaceId: string,
    email: string,
    contactId: string | null,
    reason: SuppressionReason,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO channel_email.suppressions (workspace_id, email, contact_id, reason, created_at) VALUES ($1, lower($2), $3, $4, $5)
       ON CONFLICT (workspace_id, email) DO UPDATE SET reason = CASE WHEN channel_email.suppressions.reason = 'hard_bounce' THEN 'hard_bounce' ELSE EXCLUDED.reason END`,
      [workspaceId, email, contactId, reason, at],
    );
  }

  async suppression(
    manager: EntityManager,
    workspaceId: string,
    email: string,
  ): Promise<SuppressionReason | undefined> {
    const rows = (await manager.query(
      `SELECT reason FROM channel_email.suppressions WHERE workspace_id = $1 AND email = lower($2)`,
      [workspaceId, email],
    )) as Array<{
      reason: SuppressionReason;
    }>;
    return rows[0]?.reason;
  }

  /**
   * Everything compliance needs in ONE round trip: the address's suppression, and for marketing mail whether it
   * unsubscribed (from all marketing or `topic`) and how many marketing sends the contact had since `since`.
   */
  async complianceFacts(
    manager: EntityManager,
    query: {
      workspaceId: string;
      email: string;
      contactId: string;
      topic: string | undefined;
      marketing: boolean;
      since: Date;
    },
  ): Promise<{ suppression: SuppressionReason | undefined; unsubscribed: boolean; marketingSends: number }> {
    const rows = (await manager.query(
      `SELECT (SELECT reason FROM channel_email.suppressions WHERE workspace_id = $1 AND email = lower($2)) AS suppression,
              CASE WHEN $5 THEN EXISTS (SELECT 1 FROM channel_email.subscriptions WHERE workspace_id = $1 AND email = lower($2) AND topic = ANY($4) AND NOT subscribed) ELSE false END AS unsubscribed,
              CASE WHEN $5 THEN (SELECT count(*)::int FROM channel_email.send_ledger WHERE workspace_id = $1 AND contact_id = $3 AND category = 'marketing'
                                   AND state IN ('sending', 'sent', 'unknown') AND updated_at >= $6) ELSE 0 END AS marketing_sends`,
      [
        query.workspaceId,
        query.email,
        query.contactId,
        query.topic ? ["*", query.topic] : ["*"],
        query.marketing,
        query.since,
      ],
    )) as Array<{ suppression: SuppressionReason | null; unsubscribed: boolean; marketing_sends: number }>;
    const row = rows[0];
    return {
      suppression: row?.suppression ?? undefined,
      unsubscribed: row?.unsubscribed ?? false,
      marketingSends: row?.marketing_sends ?? 0,
    };
  }

  async setSubscription(
    manager: EntityManager,
    workspaceId: string,
    email: string,
    contactId: string | null,
    topic: string,
    subscribed: boolean,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO channel_email.subscriptions (workspace_id, email, topic, contact_id, subscribed, updated_at) VALUES ($1, lower($2), $3, $4, $5, $6)
       ON CONFLICT (workspace_id, email, topic) DO UPDATE SET subscribed = EXCLUDED.subscribed, updated_at = EXCLUDED.updated_at`,
      [workspaceId, email, topic, contactId, subscribed, at],
    );
  }

  /** True when the address unsubscribed from all marketing (`*`) or from `topic`. */
  async unsubscribed(
    manager: EntityManager,
    workspaceId: string,
    email: string,
    topic: string | undefined,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM channel_email.subscriptions WHERE workspace_id = $1 AND email = lower($2) AND topic = ANY($3) AND NOT subscribed LIMIT 1`,
      [workspaceId, email, topic ? ["*", topic] : ["*"]],
    )) as unknown[];
    return rows.length > 0;
  }

  async subscriptions(manager: EntityManager, workspaceId: string, email: string): Promise<Record<string, boolean>> {
    const rows = (await manager.query(
      `SELECT topic, subscribed FROM channel_email.subscriptions WHERE workspace_id = $1 AND email = lower($2)`,
      [workspaceId, email],
    )) as Array<{ topic: string; subscribed: boolean }>;
    return Object.fromEntries(rows.map((row) => [row.topic, row.subscribed]));
  }

  async deleteAddresses(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    emails: string[],
  ): Promise<void> {
    await manager.query(
      `DELETE FROM channel_email.suppressions WHERE workspace_id = $1 AND (contact_id = $2 OR email = ANY($3))`,
      [workspaceId, contactId, emails],
    );
    await manager.query(
      `DELETE FROM channel_email.subscriptions WHERE workspace_id = $1 AND (contact_id = $2 OR email = ANY($3))`,
      [workspaceId, contactId, emails],
    );
    await manager.query(`DELETE FROM channel_email.mail_outbox WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}
