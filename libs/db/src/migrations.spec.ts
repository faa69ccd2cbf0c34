import type { MigrationInterface } from "typeorm";
import { describe, expect, it } from "vitest";
import { pendingMigrations, sortMigrations } from "./migrations.js";

class CreateRuns1718000000000 implements MigrationInterface {
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}
class AddTimers1719000000000 implements MigrationInterface {
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}
class Named implements MigrationInterface {
  readonly name = "Ledger1600000000000";
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}

describe("sortMigrations", () => {
  it("orders by the timestamp ending the name, whatever the listed order", () => {
    const sorted = sortMigrations([AddTimers1719000000000, CreateRuns1718000000000, Named]);
    expect(sorted.map((m) => [m.name, m.timestamp])).toEqual([
      ["Ledger1600000000000", 1600000000000],
      ["CreateRuns1718000000000", 1718000000000],
      ["AddTimers1719000000000", 1719000000000],
    ]);
  });

  it("rejects a name without a 13-digit timestamp, naming the migration", () => {
    class CreateRuns implements MigrationInterface {
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }
    expect(() => sortMigrations([CreateRuns])).toThrow(
      "migration CreateRuns: name must end with a 13-digit millisecond timestamp",
    );
  });

  it("rejects a migration listed twice", () => {
    expect(() => sortMigrations([CreateRuns1718000000000, CreateRuns1718000000000])).toThrow("listed twice");
  });

  it("rejects a migration that opts out of the transaction", () => {
    class Concurrent1718000000001 implements MigrationInterface {
      readonly transaction = false;
      async up(): Promise<void> {}
      async down(): Promise<void> {}
    }
    expect(() => sortMigrations([Concurrent1718000000001])).toThrow("transaction = false is not supported");
  });
});

describe("pendingMigrations", () => {
  it("keeps the order and drops the applied ones", () => {
    const sorted = sortMigrations([CreateRuns1718000000000, AddTimers1719000000000, Named]);
    const pending = pendingMigrations(sorted, new Set(["CreateRuns1718000000000"]));
    expect(pending.map((m) => m.name)).toEqual(["Ledger1600000000000", "AddTimers1719000000000"]);
  });
});
