import { returnedRows } from "@cascade/compliance";
import type { EntityManager } from "typeorm";

export type PushSubscriptionKind = "webpush" | "fcm";

export interface PushSubscriptionRecord {
  id: string;
  workspaceId: string;
  contactId: string;
  deviceId: string;
  kind: PushSubscriptionKind;
  /** Web push endpoint URL or FCM registration token. */
  address: string;
  p256dh: string | null;
  auth: string | null;
}

interface SubscriptionRow {
  id: string;
  workspace_id: string;
  contact_id: string;
  device_id: string;
  kind: PushSubscriptionKind;
  address: string;
  p256dh: string | null;
  auth: string | null;
}

const toRecord = (row: SubscriptionRow): PushSubscriptionRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  contactId: row.contact_id,
  deviceId: row.device_id,
  kind: row.kind,
  address: row.address,
  p256dh: row.p256dh,
  auth: row.auth,
});

/** channel_push.push_subscriptions and push_preferences. */
export class PushSubscriptionRepository {
  /** Saves a subscription; the same endpoint re-subscribed moves to the given contact and device. */
  async upsert(
    manager: EntityManager,
    subscription: Omit<PushSubscriptionRecord, "id">,
  ): Promise<PushSubscriptionRecord> {
    const rows = (await manager.query(
      `INSERT INTO channel_push.push_subscriptions (workspace_id, contact_id, device_id, kind, address, p256dh, auth)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, address) DO UPDATE SET contact_id = EXCLUDED.contact_id, device_id = EXCLUDED.device_id,
         kind = EXCLUDED.kind, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
       RETURNING *`,
      [
        subscription.workspaceId,
        subscription.contactId,
        subscription.deviceId,
        subscription.kind,
        subscription.address,
        subscription.p256dh,
        subscription.auth,
      ],
    )) as SubscriptionRow[];
    return toRecord(rows[0] as SubscriptionRow);
  }

  async listForContact(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
  ): Promise<PushSubscriptionRecord[]> {
    const rows = (await manager.query(
      `SELECT * FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND contact_id = $2 ORDER BY created_at`,
      [workspaceId, contactId],
    )) as SubscriptionRow[];
    return rows.map(toRecord);
  }

  /** Deletes by endpoint / token, or every subscription of a contact's device; returns how many went. */
  async remove(
    manager: EntityManager,
    workspaceId: string,
    by: { address: string } | { contactId: string; deviceId: string },
  ): Promise<number> {
    const rows =
      "address" in by
        ? await manager.query(
            `DELETE FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND address = $2 RETURNING id`,
            [workspaceId, by.address],
          )
        : await manager.query(
            `DELETE FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND contact_id = $2 AND device_id = $3 RETURNING id`,
            [workspaceId, by.contactId, by.deviceId],
          );
    return returnedRows(rows).length;
  }

  async removeContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM channel_push.push_subscriptions WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
    await manager.query(`DELETE FROM channel_push.push_preferences WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }

  async setMaxPerDay(manager: EntityManager, workspaceId: string, contactId: string, maxPerDay: number): Promise<void> {
    await manager.query(
      `INSERT INTO channel_push.push_preferences (workspace_id, contact_id, max_per_day) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET max_per_day = EXCLUDED.max_per_day`,
      [workspaceId, contactId, maxPerDay],
    );
  }

  async maxPerDay(manager: EntityManager, workspaceId: string, contactId: string): Promise<number | undefined> {
    const rows = (await manager.query(
      `SELECT max_per_day FROM channel_push.push_preferences WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, contactId],
    )) as Array<{ max_per_day: number }>;
    return rows[0]?.max_per_day;
  }
}
