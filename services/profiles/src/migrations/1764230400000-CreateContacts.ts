import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateContacts1764230400000 implements MigrationInterface {
  readonly name = "CreateContacts1764230400000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE profiles.contacts (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        event_count bigint NOT NULL DEFAULT 0,
        last_event text,
        PRIMARY KEY (workspace_id, contact_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE profiles.contacts`);
  }
}
