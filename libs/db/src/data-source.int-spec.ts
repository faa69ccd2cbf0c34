import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource, IN_MEMORY_DATA_DIR, type DatabaseHandle } from "./data-source.factory.js";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function portOf(db: DatabaseHandle): number {
  const url = (db.dataSource.options as { url?: string }).url ?? "";
  return Number(new URL(url).port);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe("createDataSource, embedded PGlite", () => {
  let db: DatabaseHandle;

  beforeAll(async () => {
    db = await createDataSource({ dataDir: IN_MEMORY_DATA_DIR });
  });

  afterAll(async () => {
    await db.close();
  });

  it("serves PGlite through the pg driver on an ephemeral 127.0.0.1 port with one pooled connection", async () => {
    expect(db.kind).toBe("embedded");
    expect(db.dataSource.options).toMatchObject({ type: "postgres", poolSize: 1, uuidExtension: "pgcrypto" });
    expect(portOf(db)).toBeGreaterThan(0);
    const [row] = await db.dataSource.query("SELECT version() AS version, gen_random_uuid()::text AS id");
    expect(row.version).toContain("PGlite");
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    await db.dataSource.query("CREATE EXTENSION IF NOT EXISTS pgcrypto");
    const [digest] = await db.dataSource.query("SELECT encode(digest('abc', 'sha256'), 'hex') AS hex");
    expect(digest.hex).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("round-trips jsonb and bytea", async () => {
    await db.dataSource.query("CREATE TABLE blobs (id serial PRIMARY KEY, body bytea, meta jsonb)");
    const body = Buffer.from([0, 1, 2, 254, 255]);
    await db.dataSource.query("INSERT INTO blobs (body, meta) VALUES ($1, $2)", [
      body,
      JSON.stringify({ a: [1, "x"], b: null }),
    ]);
    const [row] = await db.dataSource.query("SELECT body, meta, meta->'a'->>1 AS second FROM blobs");
    expect(Buffer.compare(row.body, body)).toBe(0);
    expect(row.meta).toEqual({ a: [1, "x"], b: null });
    expect(row.second).toBe("x");
  });

  it("rolls back a failed transaction and supports FOR UPDATE SKIP LOCKED", async () => {
    await db.dataSource.query("CREATE TABLE jobs (id serial PRIMARY KEY, done boolean NOT NULL DEFAULT false)");
    await db.dataSource.query("INSERT INTO jobs (done) VALUES (false), (false)");
    await expect(
      db.dataSource.transaction(async (manager) => {
        await manager.query("UPDATE jobs SET done = true");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.dataSource.query("SELECT count(*)::int AS n FROM jobs WHERE done")).toEqual([{ n: 0 }]);

    const claimed = await db.dataSource.transaction((manager) =>
      manager.query("SELECT id FROM jobs ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"),
    );
    expect(claimed).toEqual([{ id: 1 }]);
  });
});

describe("createDataSource lifecycle", () => {
  it("keeps data in a data directory across restarts, and close() stops the socket server", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "cascade-pgdata-"));
    try {
      const before = await createDataSource({ dataDir: join(dataDir, "nested", "pgdata") });
      const port = portOf(before);
      await before.dataSource.query("CREATE TABLE kept (v text)");
      await before.dataSource.query("INSERT INTO kept VALUES ('survives')");
      await before.close();
      await before.close(); // idempotent
      expect(await canConnect(port)).toBe(false);

      const after = await createDataSource({ dataDir: join(dataDir, "nested", "pgdata") });
      try {
        expect(await after.dataSource.query("SELECT v FROM kept")).toEqual([{ v: "survives" }]);
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("connects to PostgreSQL when given a URL", async () => {
    const db = await createDataSource({ databaseUrl, applicationName: "cascade-db-test" });
    try {
      expect(db.kind).toBe("postgres");
      const [row] = await db.dataSource.query(
        "SELECT current_setting('application_name') AS app, version() AS version",
      );
      expect(row).toMatchObject({ app: "cascade-db-test" });
      expect(row.version).not.toContain("PGlite");
    } finally {
      await db.close();
    }
  });
});
