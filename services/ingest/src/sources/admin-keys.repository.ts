import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { returnedRows } from "./sources.repository.js";

export interface AdminKey {
  id: string;
  workspaceId: string;
  name: string;
  keyPrefix: string;
  createdAt: Date;
}

interface AdminKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  key_prefix: string;
  created_at: Date;
}

const toAdminKey = (row: AdminKeyRow): AdminKey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  keyPrefix: row.key_prefix,
  createdAt: new Date(row.created_at),
});

/** ingest.admin_keys: per-workspace admin API keys, stored as SHA-256 plus a display prefix. */
@Injectable()
export class AdminKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: Omit<AdminKey, "createdAt"> & { keyHash: string }): Promise<AdminKey> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ingest.admin_keys (id, workspace_id, name, key_hash, key_prefix) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [key.id, key.workspaceId, key.name, key.keyHash, key.keyPrefix],
    )) as AdminKeyRow[];
    return toAdminKey(rows[0]!);
  }

  async findActiveByHash(keyHash: string): Promise<AdminKey | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ingest.admin_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    )) as AdminKeyRow[];
    return rows[0] ? toAdminKey(rows[0]) : undefined;
  }

  async listActive(workspaceId: string): Promise<AdminKey[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ingest.admin_keys WHERE workspace_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    )) as AdminKeyRow[];
    return rows.map(toAdminKey);
  }

  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE ingest.admin_keys SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [workspaceId, id],
    )) as [AdminKeyRow[], number] | AdminKeyRow[];
    return returnedRows(rows).length > 0;
  }
}
