import type { EntityManager } from "typeorm";
import type { ContactView } from "../matching/evaluation-context.js";

/** The contact projection (from profiles.changes.v1) used by filters, exclusions and schedules. */
export class ContactProjectionRepository {
  async find(manager: EntityManager, workspaceId: string, contactId: string): Promise<ContactView | undefined> {
    const rows: Array<{ contact: ContactView }> = await manager.query(
      `SELECT contact FROM triggers.contacts WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, contactId],
    );
    return rows[0]?.contact;
  }

  /** Stores the snapshot unless a newer one is already stored; false when the given one was stale. */
  async save(manager: EntityManager, workspaceId: string, contact: ContactView, changedAt: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO triggers.contacts (workspace_id, contact_id, contact, changed_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET contact = EXCLUDED.contact, changed_at = EXCLUDED.changed_at
       WHERE triggers.contacts.changed_at <= EXCLUDED.changed_at
       RETURNING contact_id`,
      [workspaceId, contact.id, JSON.stringify(contact), changedAt],
    );
    return rows.length === 1;
  }

  async delete(manager: EntityManager, workspaceId: string, contactIds: readonly string[]): Promise<void> {
    if (contactIds.length === 0) return;
    await manager.query(`DELETE FROM triggers.contacts WHERE workspace_id = $1 AND contact_id = ANY($2)`, [
      workspaceId,
      contactIds,
    ]);
  }

  /** Every projected contact of the workspace, in pages by id (for schedules and manual starts). */
  async *all(manager: EntityManager, workspaceId: string, pageSize = 1000): AsyncGenerator<ContactView[]> {
    let after = "";
    for (;;) {
      const rows: Array<{ contact: ContactView; contact_id: string }> = await manager.query(
        `SELECT contact_id, contact FROM triggers.contacts WHERE workspace_id = $1 AND contact_id > $2
          ORDER BY contact_id LIMIT $3`,
        [workspaceId, after, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((row) => row.contact);
      after = (rows[rows.length - 1] as { contact_id: string }).contact_id;
      if (rows.length < pageSize) return;
    }
  }
}
