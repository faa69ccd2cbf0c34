import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgcrypto } from "@electric-sql/pglite/contrib/pgcrypto";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { DataSource, type DataSourceOptions } from "typeorm";

/** PGlite keeps everything in memory with this data directory (tests). */
export const IN_MEMORY_DATA_DIR = "memory://";

export interface CreateDataSourceOptions {
  /** PostgreSQL connection URL. When absent, an embedded PGlite database is started. */
  databaseUrl?: string;
  /**
   * Embedded only: PGlite data directory, or `memory://`.
   * Default: `.cascade/pgdata` under the current working directory.
   */
  dataDir?: string;
  /** TypeORM entities (classes or glob patterns), as in TypeORM's own options. */
  entities?: DataSourceOptions["entities"];
  /** PostgreSQL only: connection pool size (default 10). Embedded always uses exactly one connection. */
  poolSize?: number;
  /** Shown in pg_stat_activity (PostgreSQL only). */
  applicationName?: string;
  /** TypeORM query logging. */
  logging?: boolean;
}

export type DatabaseKind = "postgres" | "embedded";

export interface DatabaseHandle {
  /** Initialized; both kinds use TypeORM's postgres driver (pg). */
  readonly dataSource: DataSource;
  /**
   * `embedded`: PGlite behind a local socket. It runs one transaction at a time and the pool has
   * one connection, so never wait on a second connection while holding one (see OutboxRelay's
   * `concurrency`).
   */
  readonly kind: DatabaseKind;
  /** Closes the DataSource and, when embedded, the socket server and PGlite. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the database every service uses: PostgreSQL when a URL is given, otherwise embedded PGlite
 * served on 127.0.0.1 (an ephemeral port) by @electric-sql/pglite-socket, so the same pg driver,
 * the same SQL and the same migrations run unchanged. Migrations are not run here (see runMigrations).
 */
export async function createDataSource(options: CreateDataSourceOptions = {}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const dataSource = new DataSource({
      ...typeormOptions(options),
      url: options.databaseUrl,
      poolSize: options.poolSize ?? 10,
      applicationName: options.applicationName,
    });
    await dataSource.initialize();
    return handle(dataSource, "postgres", async () => undefined);
  }
  return createEmbedded(options);
}

async function createEmbedded(options: CreateDataSourceOptions): Promise<DatabaseHandle> {
  const dataDir = options.dataDir ?? resolve(process.cwd(), ".cascade", "pgdata");
  if (dataDir !== IN_MEMORY_DATA_DIR) await mkdir(dataDir, { recursive: true });

  // gen_random_uuid() is built into PostgreSQL 13+; pgcrypto is loaded as well so migrations that
  // say CREATE EXTENSION pgcrypto (and TypeORM's uuidExtension: "pgcrypto") behave as on PostgreSQL.
  const pglite = await PGlite.create(dataDir, { extensions: { pgcrypto } });
  // Room for a reconnect while the previous socket is still being detached; the queue inside
  // pglite-socket runs one transaction at a time whatever the number of connections.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: 0, maxConnections: 4 });
  const stopEngine = async (): Promise<void> => {
    await server.stop();
    if (!pglite.closed) await pglite.close();
  };
  try {
    await server.start();
    const dataSource = new DataSource({
      ...typeormOptions(options),
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      poolSize: 1,
      // Keep the one connection open: pg's default closes idle clients after 10 s.
      extra: { idleTimeoutMillis: 0 },
    });
    await dataSource.initialize();
    return handle(dataSource, "embedded", stopEngine);
  } catch (error) {
    await stopEngine();
    throw error;
  }
}

function typeormOptions(options: CreateDataSourceOptions) {
  return {
    type: "postgres" as const,
    entities: options.entities ?? [],
    uuidExtension: "pgcrypto" as const,
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
  };
}

function handle(dataSource: DataSource, kind: DatabaseKind, stopEngine: () => Promise<void>): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return {
    dataSource,
    kind,
    close() {
      closing ??= (async () => {
        try {
          if (dataSource.isInitialized) await dataSource.destroy();
        } finally {
          await stopEngine();
        }
      })();
      return closing;
    },
  };
}
