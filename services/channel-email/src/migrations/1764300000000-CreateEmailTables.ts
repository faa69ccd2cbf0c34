import type { MigrationInterface, QueryRunner } from "typeorm";

/** channel-email's tables: send ledger, deferred sends, suppressions, subscriptions, provider settings, templates, outbox, rate buckets. */
export class CreateEmailTables1764300000000 implements MigrationInterface {
  readonly name = "CreateEmailTables1764300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE channel_email.send_ledger (
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        contact_id text NOT NULL,
        email text NOT NULL,
        email_domain text NOT NULL,
        category text NOT NULL,
        state text NOT NULL,
        reason text,
        provider text,
        provider_message_id text,
        variant_id text,
        run_id text,
        node_id text,
        workflow_id text,
        attempts integer NOT NULL DEFAULT 0,
        request bytea NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        delivered_at timestamptz,
        opened_at timestamptz,
        clicked_at timestamptz,
        bounced_at timestamptz,
        bounce_type text,
        complained_at timestamptz,
        unsubscribed_at timestamptz,
        PRIMARY KEY (workspace_id, idempotency_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX send_ledger_contact_idx ON channel_email.send_ledger (workspace_id, contact_id, category, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX send_ledger_provider_message_idx ON channel_email.send_ledger (provider_message_id)`,
    );
    await queryRunner.query(`CREATE INDEX send_ledger_state_idx ON channel_email.send_ledger (state, updated_at)`);
    await queryRunner.query(`
      CREATE TABLE channel_email.deferred_sends (
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        contact_id text NOT NULL,
        due_at timestamptz NOT NULL,
        reason text NOT NULL,
        request bytea NOT NULL,
        PRIMARY KEY (workspace_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX deferred_sends_due_idx ON channel_email.deferred_sends (due_at)`);
    await queryRunner.query(`
      CREATE TABLE channel_email.suppressions (
        workspace_id text NOT NULL,
        email text NOT NULL,
        contact_id text,
        reason text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, email)
      )`);
    await queryRunner.query(`
      CREATE TABLE channel_email.subscriptions (
        workspace_id text NOT NULL,
        email text NOT NULL,
        topic text NOT NULL,
        contact_id text,
        subscribed boolean NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, email, topic)
      )`);
    await queryRunner.query(`
      CREATE TABLE channel_email.provider_settings (
        workspace_id text NOT NULL,
        position text NOT NULL CHECK (position IN ('primary', 'secondary')),
        kind text NOT NULL,
        settings jsonb NOT NULL,
        encrypted_secrets text,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, position)
      )`);
    await queryRunner.query(`
      CREATE TABLE channel_email.templates (
        workspace_id text NOT NULL,
        template_id text NOT NULL,
        version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('message', 'partial', 'layout')),
        subject text NOT NULL DEFAULT '',
        html text NOT NULL DEFAULT '',
        text text,
        layout_id text,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, template_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE channel_email.mail_outbox (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        contact_id text NOT NULL,
        from_address text NOT NULL,
        to_address text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX mail_outbox_workspace_idx ON channel_email.mail_outbox (workspace_id, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_email.rate_buckets (
        account text PRIMARY KEY,
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "rate_buckets",
      "mail_outbox",
      "templates",
      "provider_settings",
      "subscriptions",
      "suppressions",
      "deferred_sends",
      "send_ledger",
    ]) {
      await queryRunner.query(`DROP TABLE channel_email.${table}`);
    }
  }
}
