import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Workspace settings (tracking switch), the sending domain on the ledger (deliverability per domain),
 * A/B experiments and their conversions, deliverability alerts (at most one per window).
 */
export class AddEngagementTables1764400000000 implements MigrationInterface {
  readonly name = "AddEngagementTables1764400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE channel_email.workspace_settings (
        workspace_id text PRIMARY KEY,
        tracking_enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`ALTER TABLE channel_email.send_ledger ADD COLUMN sending_domain text`);
    await queryRunner.query(
      `CREATE INDEX send_ledger_sent_idx ON channel_email.send_ledger (sent_at) WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX send_ledger_experiment_idx ON channel_email.send_ledger (workspace_id, workflow_id, node_id) WHERE variant_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_email.ab_experiments (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        node_id text NOT NULL,
        conversion_event text,
        conversion_window_ms bigint NOT NULL,
        auto_winner_after integer,
        winner_variant_id text,
        decided_at timestamptz,
        decision jsonb,
        PRIMARY KEY (workspace_id, workflow_id, node_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ab_experiments_event_idx ON channel_email.ab_experiments (workspace_id, conversion_event)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_email.ab_conversions (
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        workflow_id text NOT NULL,
        node_id text NOT NULL,
        variant_id text NOT NULL,
        contact_id text NOT NULL,
        event_name text NOT NULL,
        converted_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, idempotency_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX ab_conversions_experiment_idx ON channel_email.ab_conversions (workspace_id, workflow_id, node_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_email.deliverability_alerts (
        workspace_id text NOT NULL,
        provider text NOT NULL,
        sending_domain text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('bounce_rate', 'complaint_rate')),
        alerted_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, provider, sending_domain, kind)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["deliverability_alerts", "ab_conversions", "ab_experiments", "workspace_settings"])
      await queryRunner.query(`DROP TABLE channel_email.${table}`);
    await queryRunner.query(`DROP INDEX channel_email.send_ledger_experiment_idx`);
    await queryRunner.query(`DROP INDEX channel_email.send_ledger_sent_idx`);
    await queryRunner.query(`ALTER TABLE channel_email.send_ledger DROP COLUMN sending_domain`);
  }
}
