import type { DataSource, MigrationInterface } from "typeorm";
import { silentLogger, type DbLogger } from "./db-logger.js";
import { quoteSchema } from "./sql-identifier.js";

/** A TypeORM migration class, e.g. `CreateRuns1718000000000` in `src/migrations/1718000000000-CreateRuns.ts`. */
export type MigrationClass = new () => MigrationInterface;

export interface RunMigrationsOptions {
  /** The service's own schema; created when missing. Its applied migrations live in `<schema>.migrations`. */
  schema: string;
  /** The service's migrations, in any order; they run in timestamp order. */
  migrations: ReadonlyArray<MigrationClass>;
  logger?: DbLogger;
}

export interface PlannedMigration {
  name: string;
  timestamp: number;
  migration: MigrationInterface;
}

/** First argument of the two-key advisory lock; the second is hashtext(schema). Arbitrary but fixed. */
const MIGRATION_LOCK_NAMESPACE = 0x43_61_73_63; // "Casc"

/**
 * Applies the pending migrations of one service's schema, all in one transaction, and returns their
 * names. A transaction-scoped advisory lock per schema serializes runners, so two processes starting
 * at once apply each migration exactly once (the second waits, then finds nothing to do).
 */
export async function runMigrations(dataSource: DataSource, options: RunMigrationsOptions): Promise<string[]> {
  const schema = quoteSchema(options.schema);
  const logger = options.logger ?? silentLogger;
  const all = sortMigrations(options.migrations);
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  try {
    await queryRunner.startTransaction();
    await queryRunner.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
      MIGRATION_LOCK_NAMESPACE,
      options.schema,
    ]);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.migrations (
         id serial PRIMARY KEY,
         "timestamp" bigint NOT NULL,
         name varchar NOT NULL UNIQUE)`,
    );
    const rows: Array<{ name: string }> = await queryRunner.query(`SELECT name FROM ${schema}.migrations`);
    const pending = pendingMigrations(all, new Set(rows.map((row) => row.name)));
    for (const { name, timestamp, migration } of pending) {
      await migration.up(queryRunner);
      await queryRunner.query(`INSERT INTO ${schema}.migrations ("timestamp", name) VALUES ($1, $2)`, [
        timestamp,
        name,
      ]);
      logger.info({ schema: options.schema, migration: name }, "migration applied");
    }
    await queryRunner.commitTransaction();
    return pending.map((planned) => planned.name);
  } catch (error) {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
    throw error;
  } finally {
    await queryRunner.release();
  }
}

/**
 * Instantiates and orders migrations by the 13-digit millisecond timestamp that ends their name
 * (TypeORM's convention). Throws on a missing timestamp, a duplicate name, or a migration that asks
 * to run outside a transaction (all of a schema's pending migrations share one transaction).
 */
export function sortMigrations(classes: ReadonlyArray<MigrationClass>): PlannedMigration[] {
  const seen = new Set<string>();
  const planned = classes.map((MigrationCtor) => {
    const migration = new MigrationCtor();
    const name = migration.name ?? MigrationCtor.name;
    const match = /(\d{13})$/.exec(name);
    if (!match) {
      throw new Error(
        `migration ${name}: name must end with a 13-digit millisecond timestamp, e.g. CreateRuns1718000000000`,
      );
    }
    if (seen.has(name)) throw new Error(`migration ${name}: listed twice`);
    if (migration.transaction === false) {
      throw new Error(`migration ${name}: transaction = false is not supported; migrations run in one transaction`);
    }
    seen.add(name);
    return { name, timestamp: Number(match[1]), migration };
  });
  return planned.sort((a, b) => a.timestamp - b.timestamp || a.name.localeCompare(b.name));
}

export function pendingMigrations(
  sorted: ReadonlyArray<PlannedMigration>,
  applied: ReadonlySet<string>,
): PlannedMigration[] {
  return sorted.filter((planned) => !applied.has(planned.name));
}
