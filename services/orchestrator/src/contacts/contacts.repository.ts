import type { EntityManager } from "typeorm";
import { unknownContact, type ContactView } from "../engine/run-state.js";

/** orchestrator.contacts: the contact projection (from profiles.changes.v1) expressions and addresses read. */
export class ContactsRepository {
  async view(manager: EntityManager, workspaceId: string, contactId: string): Promise<ContactView> {
    const rows = (await manager.query(
      `SELECT view FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, contactId],
    )) as { view: ContactView }[];
    return rows[0]?.view ?? unknownContact(contactId);
  }

  async save(manager: EntityManager, workspaceId: string, view: ContactView): Promise<void> {
    await manager.query(
      `INSERT INTO orchestrator.contacts (workspace_id, contact_id, view, updated_at) VALUES ($1, $2, $3::jsonb, now())
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET view = EXCLUDED.view, updated_at = now()`,
      [workspaceId, view.id, JSON.stringify(view)],
    );
  }

  async delete(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }

  /** Every contact of the workspace, in pages (manual starts with a filter). */
  async *all(manager: EntityManager, workspaceId: string, pageSize = 1000): AsyncGenerator<ContactView> {
    let after = "";
    for (;;) {
      const rows = (await manager.query(
        `SELECT contact_id, view FROM orchestrator.contacts WHERE workspace_id = $1 AND contact_id > $2 ORDER BY contact_id LIMIT $3`,
        [workspaceId, after, pageSize],
      )) as { contact_id: string; view: ContactView }[];
      for (const row of rows) yield row.view;
      if (rows.length < pageSize) return;
      after = (rows[rows.length - 1] as { contact_id: string }).contact_id;
    }
  }
}
