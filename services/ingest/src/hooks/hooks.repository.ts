import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { returnedRows } from "../sources/sources.repository.js";

export interface Hook {
  id: string;
  workspaceId: string;
  name: string;
  /** Dotted path in the JSON body naming the contact (e.g. `customer.email`); none: the hook's own contact. */
  contactField: string | null;
  createdAt: Date;
}

export interface HookWithSecret extends Hook {
  /** Kept as is: verifying an HMAC needs the secret itself (unlike keys, which are only compared). */
  secret: string;
}

interface HookRow {
  id: string;
  workspace_id: string;
  name: string;
  secret: string;
  contact_field: string | null;
  created_at: Date;
}

const toHook = (row: HookRow): HookWithSecret => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  secret: row.secret,
  contactField: row.contact_field,
  createdAt: new Date(row.created_at),
});

/** ingest.hooks: inbound webhook triggers with their signing secrets. */
@Injectable()
export class HooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(hook: Omit<HookWithSecret, "createdAt">): Promise<HookWithSecret> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ingest.hooks (id, workspace_id, name, secret, contact_field) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [hook.id, hook.workspaceId, hook.name, hook.secret, hook.contactField],
    )) as HookRow[];
    return toHook(rows[0]!);
  }

  async findActive(id: string): Promise<HookWithSecret | undefined> {
    const rows = (await this.dataSource.query(`SELECT * FROM ingest.hooks WHERE id = $1 AND deleted_at IS NULL`, [
      id,
    ])) as HookRow[];
    return rows[0] ? toHook(rows[0]) : undefined;
  }

  async listActive(workspaceId: string): Promise<Hook[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ingest.hooks WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    )) as HookRow[];
    return rows.map((row) => {
      const { secret: _secret, ...hook } = toHook(row);
      return hook;
    });
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE ingest.hooks SET deleted_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id`,
      [workspaceId, id],
    )) as [HookRow[], number] | HookRow[];
    return returnedRows(rows).length > 0;
  }
}
