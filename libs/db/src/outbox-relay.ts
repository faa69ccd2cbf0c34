import type { DataSource, EntityManager } from "typeorm";
import { silentLogger, type DbLogger } from "./db-logger.js";
import { quoteSchema } from "./sql-identifier.js";

/** An encoded record as stored in the outbox; the same shape as the bus's RawRecord. */
export interface OutboxRecord {
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
}

/** What the relay needs from the bus: `Pick<Bus, "publishRaw">` from @cascade/bus satisfies it. */
export interface OutboxPublisher {
  /** Resolves once the records are durably acknowledged; rejects to leave them for the next round. */
  publishRaw(topicName: string, records: ReadonlyArray<OutboxRecord>): Promise<void>;
}

/**
 * How relays share an outbox table.
 * - `replicas` (default, PostgreSQL): each round claims rows with FOR UPDATE SKIP LOCKED and holds
 *   the row locks while publishing, so several replicas split the backlog and never publish a row
 *   twice (unless a crash hits between publish and commit: at-least-once).
 * - `single` (embedded PGlite): rows are read, published, then marked, each step on its own, with no
 *   transaction held while the bus runs. PGlite runs one transaction at a time over one connection,
 *   so holding one while an embedded bus writes its log to the same database would deadlock.
 *   Exactly one relay may run per table in this mode.
 */
export type RelayConcurrency = "replicas" | "single";

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** The service schema whose `outbox` table is relayed. */
  schema: string;
  publisher: OutboxPublisher;
  concurrency?: RelayConcurrency;
  /** Rows per round (default 100). */
  batchSize?: number;
  /** Idle poll interval when nobody calls notify() (default 1000 ms). */
  pollIntervalMs?: number;
  /** Upper bound of the backoff after failed rounds (default 30000 ms). */
  maxBackoffMs?: number;
  logger?: DbLogger;
}

export interface RelayRound {
  /** Rows read in this round. */
  claimed: number;
  /** Rows published and marked in this round. */
  published: number;
}

/** A round published part of its rows; the rest stay unpublished for the next round. */
export class OutboxPublishError extends Error {
  constructor(
    readonly topic: string,
    readonly round: RelayRound,
    cause: unknown,
  ) {
    super(`outbox: publishing to ${topic} failed; ${round.claimed - round.published} row(s) left for the next round`, {
      cause,
    });
    this.name = "OutboxPublishError";
  }
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: Uint8Array;
  headers: Record<string, string>;
}

/**
 * Publishes the rows of `<schema>.outbox` in id order through the bus, grouped by topic, and marks
 * them published once the bus acknowledged them. At-least-once: a failed or interrupted round leaves
 * its rows for the next one, and consumers de-duplicate by message id.
 *
 * With several `replicas` relays, each publishes its own batch in order, but batches of different
 * relays may interleave; run a single relay per table when strict per-key order across batches matters.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly concurrency: RelayConcurrency;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: DbLogger;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeRequested = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteSchema(options.schema)}.outbox`;
    this.concurrency = options.concurrency ?? "replicas";
    this.batchSize = positiveInteger("batchSize", options.batchSize ?? 100);
    this.pollIntervalMs = positiveInteger("pollIntervalMs", options.pollIntervalMs ?? 1000);
    this.maxBackoffMs = positiveInteger("maxBackoffMs", options.maxBackoffMs ?? 30_000);
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts relaying in the background until stop(). */
  start(): void {
    if (this.loop) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks for a round now, e.g. right after a transaction that added messages committed. */
  notify(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Lets the round in progress finish (publish and mark), then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Runs rounds until the outbox has nothing left to publish; returns the rows published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const round = await this.publishBatch();
      total += round.published;
      if (round.claimed < this.batchSize) return total;
    }
  }

  /** One round: up to batchSize rows. Throws OutboxPublishError after keeping what did get published. */
  async publishBatch(): Promise<RelayRound> {
    if (this.concurrency === "single") {
      const rows = await this.selectBatch(this.options.dataSource.manager, "");
      return this.publishRows(rows, this.options.dataSource.manager);
    }
    // The transaction commits the marks of the topics that did publish before a failure is rethrown.
    const outcome = await this.options.dataSource.transaction(async (manager) => {
      const rows = await this.selectBatch(manager, "FOR UPDATE SKIP LOCKED");
      try {
        return { round: await this.publishRows(rows, manager) };
      } catch (error) {
        if (error instanceof OutboxPublishError) return { failure: error };
        throw error;
      }
    });
    if (outcome.failure) throw outcome.failure;
    return outcome.round;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.wakeRequested = false;
      let delay = this.pollIntervalMs;
      try {
        const round = await this.publishBatch();
        failures = 0;
        if (round.claimed === this.batchSize) continue; // more rows are probably waiting
      } catch (error) {
        failures += 1;
        delay = Math.min(this.pollIntervalMs * 2 ** (failures - 1), this.maxBackoffMs);
        this.logger.warn(
          { err: error, schema: this.options.schema, failures, retryInMs: delay },
          "outbox relay round failed",
        );
      }
      if (!this.running) break;
      // After a failure only the backoff (or stop) ends the wait, so commits do not hammer a broken bus.
      if (failures === 0 && this.wakeRequested) continue;
      await this.sleep(delay, failures === 0);
    }
  }

  private sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = () => {
        if (wakeOnNotify || !this.running) done();
      };
    });
  }

  private async selectBatch(manager: EntityManager, lockClause: string): Promise<OutboxRow[]> {
    const rows: Array<{ id: string; topic: string; key: string; value: Buffer; headers: Record<string, string> }> =
      await manager.query(
        `SELECT id, topic, key, value, headers FROM ${this.table}
         WHERE published_at IS NULL ORDER BY id LIMIT $1 ${lockClause}`,
        [this.batchSize],
      );
    return rows.map((row) => ({
      ...row,
      value: new Uint8Array(row.value.buffer, row.value.byteOffset, row.value.byteLength),
    }));
  }

  private async publishRows(rows: ReadonlyArray<OutboxRow>, manager: EntityManager): Promise<RelayRound> {
    const round: RelayRound = { claimed: rows.length, published: 0 };
    for (const [topic, topicRows] of groupByTopic(rows)) {
      const records = topicRows.map(({ key, value, headers }) => ({ key, value, headers }));
      try {
        await this.options.publisher.publishRaw(topic, records);
      } catch (error) {
        throw new OutboxPublishError(topic, round, error);
      }
      await manager.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        topicRows.map((row) => row.id),
      ]);
      round.published += topicRows.length;
    }
    return round;
  }
}

/** Groups rows by topic in order of first appearance, keeping the rows' order within each topic. */
export function groupByTopic<R extends { topic: string }>(rows: ReadonlyArray<R>): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const group = groups.get(row.topic);
    if (group) group.push(row);
    else groups.set(row.topic, [row]);
  }
  return groups;
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${field}: must be a positive integer, got ${value}`);
  return value;
}
