import type { DataSource, QueryRunner } from "typeorm";
import type { Headers, RawRecord } from "../bus.js";
import type { InboundRecord } from "../delivery/inbound-record.js";
import { partitionForKey } from "../partitioner.js";
import { assertSchemaName, embeddedBusDdl } from "./embedded-schema.js";
import { SerialExecutor } from "./serial-executor.js";

interface MessageRow {
  offset: string;
  key: string;
  value: Buffer;
  headers: Headers;
}

/**
 * The embedded bus's log in PostgreSQL: topics, messages, group offsets. Every query runs through
 * one SerialExecutor and holds a connection only for its own duration, so the log works on a pool of
 * one connection (PGlite) and never keeps a transaction open while consumer code runs.
 */
export class EmbeddedLog {
  private readonly serial = new SerialExecutor();
  private readonly partitionCounts = new Map<string, number>();
  private ready?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {
    assertSchemaName(schema);
  }

  /** Creates the schema and tables if needed (idempotent, safe to race with another process). */
  init(): Promise<void> {
    this.ready ??= this.transaction(async (runner) => {
      await runner.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`cascade-bus-ddl:${this.schema}`]);
      for (const statement of embeddedBusDdl(this.schema)) await runner.query(statement);
    }).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Creates the topic with `partitions` unless it exists; returns its actual partition count. */
  async ensureTopic(topic: string, partitions: number): Promise<number> {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError(`partitions for topic ${topic} must be an integer >= 1, got ${partitions}`);
    }
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    await this.init();
    const actual = await this.transaction(async (runner) => {
      await runner.query(
        `INSERT INTO ${this.schema}.topics (name, partitions) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [topic, partitions],
      );
      const rows = await select<{ partitions: number }>(
        runner,
        `SELECT partitions FROM ${this.schema}.topics WHERE name = $1`,
        [topic],
      );
      const count = rows[0]!.partitions;
      await runner.query(
        `INSERT INTO ${this.schema}.partition_heads (topic, partition) SELECT $1, p FROM generate_series(0, $2::integer - 1) AS p
         ON CONFLICT DO NOTHING`,
        [topic, count],
      );
      return count;
    });
    this.partitionCounts.set(topic, actual);
    return actual;
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    await this.init();
    const rows = await this.serial.run(() =>
      this.withRunner((runner) =>
        select<{ partitions: number }>(runner, `SELECT partitions FROM ${this.schema}.topics WHERE name = $1`, [topic]),
      ),
    );
    return rows[0]?.partitions;
  }

  /**
   * Appends records in one transaction; partition = murmur2(key) mod partitions (as Kafka). Offsets
   * are taken from the partition heads under row locks, in partition order to avoid deadlocks.
   */
  async append(topic: string, records: ReadonlyArray<RawRecord>, defaultPartitions: number): Promise<void> {
    const partitions = await this.ensureTopic(topic, defaultPartitions);
    const byPartition = new Map<number, RawRecord[]>();
    for (const record of records) {
      const partition = partitionForKey(record.key, partitions);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), record]);
    }
    await this.transaction(async (runner) => {
      for (const [partition, batch] of [...byPartition].sort(([a], [b]) => a - b)) {
        const heads = await select<{ next_offset: string }>(
          runner,
          `UPDATE ${this.schema}.partition_heads SET next_offset = next_offset + $3 WHERE topic = $1 AND partition = $2 RETURNING next_offset`,
          [topic, partition, batch.length],
        );
        const firstOffset = BigInt(heads[0]!.next_offset) - BigInt(batch.length);
        await runner.query(
          `INSERT INTO ${this.schema}.messages (topic, partition, "offset", key, value, headers)
           SELECT $1, $2, $3::bigint + t.ord - 1, t.key, t.value, t.headers::jsonb
           FROM unnest($4::text[], $5::bytea[], $6::text[]) WITH ORDINALITY AS t(key, value, headers, ord)`,
          [
            topic,
            partition,
            firstOffset.toString(),
            batch.map((record) => record.key),
            batch.map((record) => Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength)),
            batch.map((record) => JSON.stringify(record.headers)),
          ],
        );
      }
    });
  }

  /** Up to `limit` records of a partition from `fromOffset` on, in offset order. */
  async read(topic: string, partition: number, fromOffset: bigint, limit: number): Promise<InboundRecord[]> {
    const rows = await this.serial.run(() =>
      this.withRunner((runner) =>
        select<MessageRow>(
          runner,
          `SELECT "offset", key, value, headers FROM ${this.schema}.messages
           WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT $4`,
          [topic, partition, fromOffset.toString(), limit],
        ),
      ),
    );
    return rows.map((row) => ({
      topic,
      partition,
      offset: String(row.offset),
      key: row.key,
      value: new Uint8Array(row.value),
      headers: row.headers,
    }));
  }

  /** Where a group resumes: its committed offset, else the partition's start or its current end. */
  async startOffset(group: string, topic: string, partition: number, fromBeginning: boolean): Promise<bigint> {
    const rows = await this.serial.run(() =>
      this.withRunner((runner) =>
        select<{ committed: string | null; head: string }>(
          runner,
          `SELECT (SELECT committed_offset FROM ${this.schema}.group_offsets WHERE "group" = $1 AND topic = $2 AND partition = $3) AS committed,
                  next_offset AS head
           FROM ${this.schema}.partition_heads WHERE topic = $2 AND partition = $3`,
          [group, topic, partition],
        ),
      ),
    );
    const row = rows[0];
    if (!row) throw new Error(`embedded bus: partition ${partition} of topic ${topic} does not exist`);
    if (row.committed !== null) return BigInt(row.committed);
    return fromBeginning ? 0n : BigInt(row.head);
  }

  /** Records that `group` has handled everything in the partition before `nextOffset`. */
  async commit(group: string, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    await this.serial.run(() =>
      this.withRunner((runner) =>
        runner.query(
          `INSERT INTO ${this.schema}.group_offsets ("group", topic, partition, committed_offset) VALUES ($1, $2, $3, $4)
           ON CONFLICT ("group", topic, partition) DO UPDATE SET committed_offset = EXCLUDED.committed_offset, updated_at = now()`,
          [group, topic, partition, nextOffset.toString()],
        ),
      ),
    );
  }

  async ping(): Promise<void> {
    await this.serial.run(() => this.withRunner((runner) => runner.query("SELECT 1")));
  }

  private transaction<R>(work: (runner: QueryRunner) => Promise<R>): Promise<R> {
    return this.serial.run(() =>
      this.withRunner(async (runner) => {
        await runner.startTransaction();
        try {
          const result = await work(runner);
          await runner.commitTransaction();
          return result;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          throw error;
        }
      }),
    );
  }

  private async withRunner<R>(work: (runner: QueryRunner) => Promise<R>): Promise<R> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      return await work(runner);
    } finally {
      await runner.release();
    }
  }
}

async function select<R>(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<R[]> {
  const result = await runner.query(sql, parameters, true);
  return result.records as R[];
}
