import { createSendLedgerMigration } from "@cascade/compliance";
import type { MigrationInterface, QueryRunner } from "typeorm";

const SendLedger = createSendLedgerMigration("channel_push");

/** Send ledger, push subscriptions per contact and device, and per-contact push preferences. */
export class CreatePushTables1764500000200 implements MigrationInterface {
  readonly name = "CreatePushTables1764500000200";

  async up(queryRunner: QueryRunner): Promise<void> {
    await new SendLedger().up(queryRunner);
    await queryRunner.query(`
      CREATE TABLE channel_push.push_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        device_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('webpush', 'fcm')),
        -- Web push: the push service endpoint URL; FCM: the registration token.
        address text NOT NULL,
        p256dh text,
        auth text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, address))`);
    await queryRunner.query(
      `CREATE INDEX push_subscriptions_contact_idx ON channel_push.push_subscriptions (workspace_id, contact_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE channel_push.push_preferences (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        max_per_day integer NOT NULL CHECK (max_per_day >= 0),
        PRIMARY KEY (workspace_id, contact_id))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_push.push_preferences`);
    await queryRunner.query(`DROP TABLE channel_push.push_subscriptions`);
    await new SendLedger().down(queryRunner);
  }
}
