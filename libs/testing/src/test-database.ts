import pg from "pg";
import { testDatabaseUrl } from "./environment.js";

/**
 * A database of its own for one test platform, created on first use in the test PostgreSQL
 * (`<base database>_<suffix>`). Service schemas, their outboxes and ledgers are then private to the test:
 * an outbox relay in one test never publishes another test's rows. Reusing the same suffix reopens the
 * same database (a restart test). The test command drops these databases before each run.
 */
export async function ensureTestDatabase(suffix: string): Promise<string> {
  const base = new URL(testDatabaseUrl());
  const name = `${decodeURIComponent(base.pathname.slice(1))}_${suffix}`.toLowerCase();
  if (!/^[a-z0-9_]{1,63}$/.test(name)) throw new Error(`test database name "${name}" must be 1-63 of a-z, 0-9 and _`);
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) {
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // Two platforms with the same suffix starting at once: the other one created it.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
