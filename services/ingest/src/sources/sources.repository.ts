import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";

export interface Source {
  id: string;
  workspaceId: string;
  name: string;
  writeKeyPrefix: string;
  rateLimitPerSecond: number | null;
  createdAt: Date;
}

interface SourceRow {
  id: string;
  workspace_id: string;
  name: string;
  write_key_prefix: string;
  rate_limit_per_second: number | null;
  created_at: Date;
}

const toSource = (row: SourceRow): Source => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  writeKeyPrefix: row.write_key_prefix,
  rateLimitPerSecond: row.rate_limit_per_second,
  createdAt: new Date(row.created_at),
});

/** ingest.sources: one row per source; the write key is kept only as its SHA-256 and a display prefix. */
@Injectable()
export class SourcesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(source: Omit<Source, "createdAt"> & { writeKeyHash: string }): Promise<Source> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ingest.sources (id, workspace_id, name, write_key_hash, write_key_prefix, rate_limit_per_second)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        source.id,
        source.workspaceId,
        source.name,
        source.writeKeyHash,
        source.writeKeyPrefix,
        source.rateLimitPerSecond,
      ],
    )) as SourceRow[];
    return toSource(rows[0]!);
  }

  async listActive(workspaceId: string): Promise<Source[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ingest.sources WHERE workspace_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [workspaceId],
    )) as SourceRow[];
    return rows.map(toSource);
  }

  async findActiveByKeyHash(writeKeyHash: string): Promise<Source | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ingest.sources WHERE write_key_hash = $1 AND revoked_at IS NULL`,
      [writeKeyHash],
    )) as SourceRow[];
    return rows[0] ? toSource(rows[0]) : undefined;
  }

  /** Replaces the write key of an active source; undefined when there is no such source. */
  async replaceKey(
    workspaceId: string,
    id: string,
    writeKeyHash: string,
    writeKeyPrefix: string,
  ): Promise<Source | undefined> {
    const rows = (await this.dataSource.query(
      `UPDATE ingest.sources SET write_key_hash = $3, write_key_prefix = $4
       WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING *`,
      [workspaceId, id, writeKeyHash, writeKeyPrefix],
    )) as [SourceRow[], number] | SourceRow[];
    const list = returnedRows(rows);
    return list[0] ? toSource(list[0]) : undefined;
  }

  /** Revokes a source (its key stops working); false when there was no such active source. */
  async revoke(workspaceId: string, id: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `UPDATE ingest.sources SET revoked_at = now() WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [workspaceId, id],
    )) as [SourceRow[], number] | SourceRow[];
    return returnedRows(rows).length > 0;
  }
}

/** TypeORM's postgres driver answers UPDATE … RETURNING with [rows, count]; other drivers with rows. */
export function returnedRows<T>(result: [T[], number] | T[]): T[] {
  return result.length === 2 && Array.isArray(result[0]) && typeof result[1] === "number"
    ? (result[0] as T[])
    : (result as T[]);
}
