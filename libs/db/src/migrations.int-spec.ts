import type { MigrationInterface, QueryRunner } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource, type DatabaseHandle } from "./data-source.factory.js";
import { runMigrations, type MigrationClass } from "./migrations.js";
import { uniqueSchema } from "./test-fixtures.js";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Non-idempotent on purpose: a second run of either migration would fail or insert a second row. */
function serviceMigrations(schema: string): MigrationClass[] {
  return [
    class CreateRuns1718000000000 implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "${schema}".runs (id serial PRIMARY KEY, note text NOT NULL)`);
        await queryRunner.query("SELECT pg_sleep(0.2)"); // widen the window for a racing runner
      }
      async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "${schema}".runs`);
      }
    },
    class SeedRuns1718000000001 implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`INSERT INTO "${schema}".runs (note) VALUES ('seeded')`);
      }
      async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM "${schema}".runs`);
      }
    },
  ];
}

describe("runMigrations on PostgreSQL", () => {
  // Two handles stand for two service processes starting at once.
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  const schemas: string[] = [];

  beforeAll(async () => {
    [first, second] = await Promise.all([createDataSource({ databaseUrl }), createDataSource({ databaseUrl })]);
  });

  afterAll(async () => {
    for (const schema of schemas) await first.dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all([first.close(), second.close()]);
  });

  it("creates the schema and applies each migration exactly once across two concurrent runners", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const migrations = serviceMigrations(schema);

    const applied = await Promise.all([
      runMigrations(first.dataSource, { schema, migrations }),
      runMigrations(second.dataSource, { schema, migrations }),
    ]);

    expect(applied.map((names) => names.length).sort()).toEqual([0, 2]);
    expect(applied.flat()).toEqual(["CreateRuns1718000000000", "SeedRuns1718000000001"]);
    expect(await first.dataSource.query(`SELECT note FROM "${schema}".runs`)).toEqual([{ note: "seeded" }]);
    const recorded = await first.dataSource.query(`SELECT name FROM "${schema}".migrations ORDER BY id`);
    expect(recorded).toEqual([{ name: "CreateRuns1718000000000" }, { name: "SeedRuns1718000000001" }]);

    expect(await runMigrations(second.dataSource, { schema, migrations })).toEqual([]);
  });

  it("applies only new migrations later, and rolls back a failing batch as a whole", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const [createRuns, seedRuns] = serviceMigrations(schema);
    expect(await runMigrations(first.dataSource, { schema, migrations: [createRuns!] })).toEqual([
      "CreateRuns1718000000000",
    ]);

    class Broken1718000000002 implements MigrationInterface {
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query("SELECT * FROM no_such_table");
      }
      async down(): Promise<void> {}
    }
    await expect(
      runMigrations(first.dataSource, { schema, migrations: [createRuns!, seedRuns!, Broken1718000000002] }),
    ).rejects.toThrow(/no_such_table/);
    expect(await first.dataSource.query(`SELECT note FROM "${schema}".runs`)).toEqual([]);

    expect(await runMigrations(first.dataSource, { schema, migrations: [createRuns!, seedRuns!] })).toEqual([
      "SeedRuns1718000000001",
    ]);
  });

  it("keeps each service's migrations apart: the same names in another schema run again there", async () => {
    const [a, b] = [uniqueSchema(), uniqueSchema()];
    schemas.push(a, b);
    expect(await runMigrations(first.dataSource, { schema: a, migrations: serviceMigrations(a) })).toHaveLength(2);
    expect(await runMigrations(first.dataSource, { schema: b, migrations: serviceMigrations(b) })).toHaveLength(2);
  });
});
