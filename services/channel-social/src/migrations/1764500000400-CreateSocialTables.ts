import { createDeferredSendsMigration, createSendLedgerMigration } from "@cascade/compliance";
import type { MigrationInterface, QueryRunner } from "typeorm";

const SendLedger = createSendLedgerMigration("channel_social");
const DeferredSends = createDeferredSendsMigration("channel_social");

/**
 * The send ledger (one row per `${request key}:${platform}`), deferred posts (schedules, platform rate limits,
 * retries) and published posts with their latest engagement counters.
 */
export class CreateSocialTables1764500000400 implements MigrationInterface {
  readonly name = "CreateSocialTables1764500000400";

  async up(queryRunner: QueryRunner): Promise<void> {
    await new SendLedger().up(queryRunner);
    await new DeferredSends().up(queryRunner);
    await queryRunner.query(
      `CREATE INDEX send_ledger_platform_sent_idx ON channel_social.send_ledger (workspace_id, provider, sent_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_social.social_posts (
        workspace_id text NOT NULL,
        idempotency_key text NOT NULL,
        platform text NOT NULL,
        post_id text NOT NULL,
        contact_id text NOT NULL,
        run_id text NOT NULL,
        node_id text NOT NULL,
        workflow_id text NOT NULL,
        hashtags text[] NOT NULL DEFAULT '{}',
        published_at timestamptz NOT NULL,
        likes integer NOT NULL DEFAULT 0,
        shares integer NOT NULL DEFAULT 0,
        comments integer NOT NULL DEFAULT 0,
        engagement_checked_at timestamptz,
        PRIMARY KEY (workspace_id, idempotency_key))`);
    await queryRunner.query(`CREATE INDEX social_posts_published_idx ON channel_social.social_posts (published_at)`);
    await queryRunner.query(
      `CREATE INDEX social_posts_contact_idx ON channel_social.social_posts (workspace_id, contact_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_social.social_posts`);
    await new DeferredSends().down(queryRunner);
    await new SendLedger().down(queryRunner);
  }
}
