import { Injectable } from "@nestjs/common";
import { DataSource } from "typeorm";
import { GroupCommit } from "./group-commit.js";

export interface MessageRef {
  workspaceId: string;
  messageId: string;
}

/** Rows per INSERT: two parameters each, far below PostgreSQL's 65 535. */
const MAX_ROWS_PER_STATEMENT = 2_000;

/**
 * ingest.received_messages: the messageIds seen in the last INGEST_DEDUP_TTL_HOURS, for Segment-style
 * de-duplication. `claim` inserts and tells which references were new; concurrent claims share one INSERT.
 */
@Injectable()
export class ReceivedMessagesRepository {
  private readonly claims = new GroupCommit<MessageRef, boolean>((refs) => this.insertNew(refs), {
    concurrency: 2,
    maxWeight: MAX_ROWS_PER_STATEMENT,
  });

  constructor(private readonly dataSource: DataSource) {}

  /** For each reference, true when it was not seen before (and is now recorded), false for a duplicate. */
  claim(refs: MessageRef[]): Promise<boolean[]> {
    return this.claims.submit(refs);
  }

  /** Forgets references whose events could not be published, so the client's retry is accepted. */
  async release(refs: MessageRef[]): Promise<void> {
    if (refs.length === 0) return;
    const { values, parameters } = pairs(refs);
    await this.dataSource.query(
      `DELETE FROM ingest.received_messages WHERE (workspace_id, message_id) IN (VALUES ${values})`,
      parameters,
    );
  }

  /** Deletes references older than `olderThan`; returns how many. */
  async deleteExpired(olderThan: Date): Promise<number> {
    const rows = (await this.dataSource.query(
      `WITH gone AS (DELETE FROM ingest.received_messages WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [olderThan],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  private async insertNew(refs: MessageRef[]): Promise<boolean[]> {
    // The first occurrence of a reference within this flush claims it; later ones are duplicates.
    const firstIndex = new Map<string, number>();
    refs.forEach((ref, index) => {
      const id = refKey(ref);
      if (!firstIndex.has(id)) firstIndex.set(id, index);
    });
    const unique = [...firstIndex.values()].map((index) => refs[index]!);
    const { values, parameters } = pairs(unique);
    const inserted = (await this.dataSource.query(
      `INSERT INTO ingest.received_messages (workspace_id, message_id) VALUES ${values}
       ON CONFLICT (workspace_id, message_id) DO NOTHING RETURNING workspace_id, message_id`,
      parameters,
    )) as Array<{ workspace_id: string; message_id: string }>;
    const fresh = new Set(inserted.map((row) => refKey({ workspaceId: row.workspace_id, messageId: row.message_id })));
    return refs.map((ref, index) => firstIndex.get(refKey(ref)) === index && fresh.has(refKey(ref)));
  }
}

const refKey = (ref: MessageRef): string => `${ref.workspaceId}\u0000${ref.messageId}`;

function pairs(refs: MessageRef[]): { values: string; parameters: string[] } {
  const parameters: string[] = [];
  const values = refs
    .map((ref) => {
      parameters.push(ref.workspaceId, ref.messageId);
      return `($${parameters.length - 1}, $${parameters.length})`;
    })
    .join(", ");
  return { values, parameters };
}
