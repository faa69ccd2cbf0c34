import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What happened to each sent push after the push service took it: delivered to a browser, opened, converted.
 * One row per (workspace, idempotency key), written when the push is SENT; each step is recorded (and reported
 * on outcomes.v1) once.
 */
export class CreatePushEngagements1764500000300 implements MigrationInterface {
  readonly name = "CreatePushEngagements1764500000300";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE channel_push.push_engagements (
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        contact_id text NOT NULL,
        run_id text NOT NULL DEFAULT '',
        node_id text NOT NULL DEFAULT '',
        workflow_id text NOT NULL DEFAULT '',
        sent_at timestamptz NOT NULL,
        delivered_at timestamptz,
        opened_at timestamptz,
        -- The ids of the browser that reported the open, for conversions made under another id than the push's contact.
        opened_anonymous_id text,
        opened_user_id text,
        converted_at timestamptz,
        PRIMARY KEY (workspace_id, idempotency_key))`);
    await queryRunner.query(
      `CREATE INDEX push_engagements_open_contact_idx ON channel_push.push_engagements (workspace_id, contact_id, opened_at)
       WHERE opened_at IS NOT NULL AND converted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX push_engagements_open_anonymous_idx ON channel_push.push_engagements (workspace_id, opened_anonymous_id, opened_at)
       WHERE opened_at IS NOT NULL AND converted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX push_engagements_open_user_idx ON channel_push.push_engagements (workspace_id, opened_user_id, opened_at)
       WHERE opened_at IS NOT NULL AND converted_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_push.push_engagements`);
  }
}
