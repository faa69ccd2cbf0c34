import type { MigrationInterface, QueryRunner } from "typeorm";

/** Sources with hashed write keys, admin keys, webhook hooks, the messageId ledger and email engagement counters. */
export class CreateIngestTables1764400000000 implements MigrationInterface {
  readonly name = "CreateIngestTables1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ingest.sources (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        write_key_hash text NOT NULL UNIQUE,
        write_key_prefix text NOT NULL,
        rate_limit_per_second integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX sources_workspace_idx ON ingest.sources (workspace_id)`);
    await queryRunner.query(`
      CREATE TABLE ingest.admin_keys (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX admin_keys_workspace_idx ON ingest.admin_keys (workspace_id)`);
    await queryRunner.query(`
      CREATE TABLE ingest.hooks (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        secret text NOT NULL,
        contact_field text,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX hooks_workspace_idx ON ingest.hooks (workspace_id)`);
    await queryRunner.query(`
      CREATE TABLE ingest.received_messages (
        workspace_id text NOT NULL,
        message_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, message_id)
      )`);
    await queryRunner.query(`CREATE INDEX received_messages_received_at_idx ON ingest.received_messages (received_at)`);
    await queryRunner.query(`
      CREATE TABLE ingest.email_engagement (
        workspace_id text NOT NULL,
        send_key text NOT NULL,
        opens integer NOT NULL DEFAULT 0,
        clicks integer NOT NULL DEFAULT 0,
        first_opened_at timestamptz,
        last_opened_at timestamptz,
        PRIMARY KEY (workspace_id, send_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["email_engagement", "received_messages", "hooks", "admin_keys", "sources"]) {
      await queryRunner.query(`DROP TABLE ingest.${table}`);
    }
  }
}
