import type { EntityManager } from "typeorm";
import type { Activity, ActivityKind } from "./activity.js";

interface ActivityRow {
  contact_id: string;
  occurred_at: Date;
  kind: ActivityKind;
  item_id: string | null;
  duration_seconds: number;
  value: number | null;
}

const toActivity = (row: ActivityRow): Activity => ({
  contactId: row.contact_id,
  occurredAt: new Date(row.occurred_at),
  kind: row.kind,
  itemId: row.item_id,
  durationSeconds: Number(row.duration_seconds),
  value: row.value === null ? null : Number(row.value),
});

function groupByContact(rows: readonly ActivityRow[]): Map<string, Activity[]> {
  const byContact = new Map<string, Activity[]>();
  for (const row of rows) {
    let list = byContact.get(row.contact_id);
    if (list === undefined) byContact.set(row.contact_id, (list = []));
    list.push(toActivity(row));
  }
  return byContact;
}

const COLUMNS = "contact_id, occurred_at, kind, item_id, duration_seconds, value";

/** The activity log (predictions.activity): what features and labels are computed from. */
export class ActivityRepository {
  async record(manager: EntityManager, workspaceId: string, activity: Activity, messageId: string): Promise<void> {
    await this.recordMany(manager, workspaceId, [{ ...activity, messageId }]);
  }

  async recordMany(
    manager: EntityManager,
    workspaceId: string,
    rows: ReadonlyArray<Activity & { readonly messageId: string }>,
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      const params: unknown[] = [];
      const values = chunk.map((row) => {
        params.push(
          workspaceId,
          row.contactId,
          row.occurredAt,
          row.kind,
          row.itemId,
          row.durationSeconds,
          row.value,
          row.messageId,
        );
        const n = params.length;
        return `($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      await manager.query(
        `INSERT INTO predictions.activity (workspace_id, contact_id, occurred_at, kind, item_id, duration_seconds, value, message_id)
         VALUES ${values.join(", ")}`,
        params,
      );
    }
  }

  /** Every activity row of the given contacts (features need the latest activity however old). */
  async ofContacts(
    manager: EntityManager,
    workspaceId: string,
    contactIds: readonly string[],
  ): Promise<Map<string, Activity[]>> {
    if (contactIds.length === 0) return new Map();
    const rows: ActivityRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM predictions.activity WHERE workspace_id = $1 AND contact_id = ANY($2) ORDER BY occurred_at`,
      [workspaceId, contactIds],
    );
    return groupByContact(rows);
  }

  /** Activity since `from`, by contact, for training. */
  async since(manager: EntityManager, workspaceId: string, from: Date): Promise<Map<string, Activity[]>> {
    const rows: ActivityRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM predictions.activity WHERE workspace_id = $1 AND occurred_at > $2 ORDER BY occurred_at`,
      [workspaceId, from],
    );
    return groupByContact(rows);
  }

  /** Content interactions (content views and shares naming an item) since `from`, oldest first. */
  async contentInteractions(
    manager: EntityManager,
    workspaceId: string,
    from: Date,
  ): Promise<{ contactId: string; itemId: string; occurredAt: Date }[]> {
    const rows: { contact_id: string; item_id: string; occurred_at: Date }[] = await manager.query(
      `SELECT contact_id, item_id, occurred_at FROM predictions.activity
       WHERE workspace_id = $1 AND occurred_at > $2 AND kind IN ('content_view', 'share') AND item_id IS NOT NULL
       ORDER BY occurred_at, contact_id, item_id`,
      [workspaceId, from],
    );
    return rows.map((row) => ({
      contactId: row.contact_id,
      itemId: row.item_id,
      occurredAt: new Date(row.occurred_at),
    }));
  }

  async erase(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM predictions.activity WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}
