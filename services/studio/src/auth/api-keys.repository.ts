import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Role } from "./roles.js";

export interface StoredApiKey {
  keyId: string;
  workspaceId: string;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A new secret studio key (`sk_…`), shown once when created; only its SHA-256 is stored. */
export function generateStudioKey(): string {
  return `sk_${randomBytes(24).toString("base64url")}`;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface KeyRow {
  key_id: string;
  workspace_id: string;
  name: string;
  role: Role;
  key_prefix: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toKey = (row: KeyRow): StoredApiKey => ({
  keyId: row.key_id,
  workspaceId: row.workspace_id,
  name: row.name,
  role: row.role,
  prefix: row.key_prefix,
  createdBy: row.created_by,
  createdAt: new Date(row.created_at).toISOString(),
  revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
});

/** studio.api_keys: role-scoped keys of one workspace each. */
export class ApiKeysRepository {
  async findActiveByHash(manager: EntityManager, hash: string): Promise<StoredApiKey | undefined> {
    const rows = (await manager.query(`SELECT * FROM studio.api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [
      hash,
    ])) as KeyRow[];
    return rows[0] ? toKey(rows[0]) : undefined;
  }

  async insert(manager: EntityManager, key: Omit<StoredApiKey, "revokedAt">, hash: string): Promise<void> {
    await manager.query(
      `INSERT INTO studio.api_keys (key_id, workspace_id, name, role, key_hash, key_prefix, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [key.keyId, key.workspaceId, key.name, key.role, hash, key.prefix, key.createdBy, key.createdAt],
    );
  }

  async list(manager: EntityManager, workspaceId: string): Promise<StoredApiKey[]> {
    const rows = (await manager.query(`SELECT * FROM studio.api_keys WHERE workspace_id = $1 ORDER BY created_at`, [
      workspaceId,
    ])) as KeyRow[];
    return rows.map(toKey);
  }

  /** Revokes a key of the workspace; false when there is no such active key. */
  async revoke(manager: EntityManager, workspaceId: string, keyId: string, at: Date): Promise<boolean> {
    const rows = (await manager.query(
      `UPDATE studio.api_keys SET revoked_at = $3 WHERE workspace_id = $1 AND key_id = $2 AND revoked_at IS NULL RETURNING key_id`,
      [workspaceId, keyId, at],
    )) as unknown[];
    return rowCount(rows) > 0;
  }
}

/** TypeORM returns `[rows, count]` for UPDATE … RETURNING on PostgreSQL and plain rows on some drivers. */
export function rowCount(result: unknown[]): number {
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number") return result[1];
  return result.length;
}
