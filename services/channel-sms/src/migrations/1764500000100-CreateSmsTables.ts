import { createDeferredSendsMigration, createSendLedgerMigration } from "@cascade/compliance";
import type { MigrationInterface, QueryRunner } from "typeorm";

const SendLedger = createSendLedgerMigration("channel_sms");
const DeferredSends = createDeferredSendsMigration("channel_sms");

/** The send ledger, deferred sends (quiet hours, schedules, retries) and SMS consents. */
export class CreateSmsTables1764500000100 implements MigrationInterface {
  readonly name = "CreateSmsTables1764500000100";

  async up(queryRunner: QueryRunner): Promise<void> {
    await new SendLedger().up(queryRunner);
    await new DeferredSends().up(queryRunner);
    await queryRunner.query(`
      CREATE TABLE channel_sms.sms_consents (
        workspace_id text NOT NULL,
        phone text NOT NULL,
        contact_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('opted_in', 'opted_out')),
        source text NOT NULL,
        evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, phone))`);
    await queryRunner.query(
      `CREATE INDEX sms_consents_contact_idx ON channel_sms.sms_consents (workspace_id, contact_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE channel_sms.sms_consents`);
    await new DeferredSends().down(queryRunner);
    await new SendLedger().down(queryRunner);
  }
}
