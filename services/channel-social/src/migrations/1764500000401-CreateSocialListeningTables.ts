import type { MigrationInterface, QueryRunner } from "typeorm";

/** Mentions of the brand (with sentiment), polling cursors per platform, and crisis alerts already raised. */
export class CreateSocialListeningTables1764500000401 implements MigrationInterface {
  readonly name = "CreateSocialListeningTables1764500000401";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE channel_social.social_mentions (
        workspace_id text NOT NULL,
        platform text NOT NULL,
        mention_id text NOT NULL,
        author_id text NOT NULL,
        author_handle text NOT NULL,
        text text NOT NULL,
        sentiment_score real NOT NULL,
        sentiment text NOT NULL CHECK (sentiment IN ('positive', 'neutral', 'negative')),
        shared_post_id text,
        engagement integer NOT NULL DEFAULT 0,
        mentioned_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, platform, mention_id))`);
    await queryRunner.query(
      `CREATE INDEX social_mentions_received_idx ON channel_social.social_mentions (workspace_id, received_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_social.polling_cursors (
        workspace_id text NOT NULL,
        platform text NOT NULL,
        cursor text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, platform))`);
    await queryRunner.query(`
      CREATE TABLE channel_social.crisis_alerts (
        workspace_id text NOT NULL,
        window_start timestamptz NOT NULL,
        negative_rate real NOT NULL,
        baseline_rate real NOT NULL,
        raised_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, window_start))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_social.crisis_alerts`);
    await queryRunner.query(`DROP TABLE channel_social.polling_cursors`);
    await queryRunner.query(`DROP TABLE channel_social.social_mentions`);
  }
}
