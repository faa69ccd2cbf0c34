import type { EntityManager } from "typeorm";

export type IdentityKind = "anonymous" | "user";

export interface Identity {
  kind: IdentityKind;
  value: string;
  contactId: string;
  linkedAt: Date;
}

/** profiles.identities: which contact each anonymous id and user id belongs to. */
export class IdentitiesRepository {
  /**
   * Links (kind, value) to `contactId` unless it is already linked, then returns the contact it belongs to,
   * locked until the transaction ends. Two transactions claiming the same new id serialize on its key.
   */
  async claim(
    manager: EntityManager,
    workspaceId: string,
    kind: IdentityKind,
    value: string,
    contactId: string,
  ): Promise<{ contactId: string; linked: boolean }> {
    const inserted = (await manager.query(
      `INSERT INTO profiles.identities (workspace_id, kind, value, contact_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING contact_id`,
      [workspaceId, kind, value, contactId],
    )) as unknown[];
    if (inserted.length === 1) return { contactId, linked: true };
    const owner = await this.lock(manager, workspaceId, kind, value);
    if (owner === undefined) throw new Error(`identity ${kind}:${value} vanished while being claimed`);
    return { contactId: owner, linked: false };
  }

  /** The contact (kind, value) belongs to, locking the identity row. */
  async lock(
    manager: EntityManager,
    workspaceId: string,
    kind: IdentityKind,
    value: string,
  ): Promise<string | undefined> {
    const rows = (await manager.query(
      `SELECT contact_id FROM profiles.identities WHERE workspace_id = $1 AND kind = $2 AND value = $3 FOR UPDATE`,
      [workspaceId, kind, value],
    )) as Array<{ contact_id: string }>;
    return rows[0]?.contact_id;
  }

  /** The contact an id of unknown kind belongs to (user ids first), or undefined. */
  async findAnyKind(manager: EntityManager, workspaceId: string, value: string): Promise<string | undefined> {
    const rows = (await manager.query(
      `SELECT contact_id FROM profiles.identities WHERE workspace_id = $1 AND value = $2 ORDER BY kind DESC LIMIT 1`,
      [workspaceId, value],
    )) as Array<{ contact_id: string }>;
    return rows[0]?.contact_id;
  }

  async listOf(manager: EntityManager, workspaceId: string, contactId: string): Promise<Identity[]> {
    const rows = (await manager.query(
      `SELECT kind, value, contact_id, linked_at FROM profiles.identities WHERE workspace_id = $1 AND contact_id = $2 ORDER BY kind, linked_at, value`,
      [workspaceId, contactId],
    )) as Array<{ kind: IdentityKind; value: string; contact_id: string; linked_at: Date | string }>;
    return rows.map((row) => ({
      kind: row.kind,
      value: row.value,
      contactId: row.contact_id,
      linkedAt: new Date(row.linked_at),
    }));
  }

  /** Re-points every identity of `from` to `to` (a merge). */
  async moveAll(manager: EntityManager, workspaceId: string, from: string, to: string): Promise<void> {
    await manager.query(`UPDATE profiles.identities SET contact_id = $3 WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      from,
      to,
    ]);
  }

  async deleteAll(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM profiles.identities WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}
