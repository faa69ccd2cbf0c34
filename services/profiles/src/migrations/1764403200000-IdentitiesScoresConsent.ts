import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Identity resolution, traits, scores, consent, per-contact history and lead-scoring rules.
 * Every table is keyed by workspace first; every per-contact row carries contact_id so a merge can move it
 * and an erasure can delete it.
 */
export class IdentitiesScoresConsent1764403200000 implements MigrationInterface {
  readonly name = "IdentitiesScoresConsent1764403200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE profiles.contacts
        ADD COLUMN user_id text,
        ADD COLUMN traits jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN lead_score double precision NOT NULL DEFAULT 0,
        ADD COLUMN engagement_mass double precision NOT NULL DEFAULT 0,
        ADD COLUMN engagement_at timestamptz,
        ADD COLUMN merged_from jsonb NOT NULL DEFAULT '[]'::jsonb`);
    // Which contact an anonymous id or a user id belongs to.
    await queryRunner.query(`
      CREATE TABLE profiles.identities (
        workspace_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('anonymous', 'user')),
        value text NOT NULL,
        contact_id text NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, kind, value))`);
    await queryRunner.query(`CREATE INDEX identities_contact_idx ON profiles.identities (workspace_id, contact_id)`);
    await queryRunner.query(`
      CREATE TABLE profiles.event_counters (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        event_name text NOT NULL,
        count bigint NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contact_id, event_name))`);
    // Bounded recent history per contact (for export and for merges); message_id is the events.v1 envelope id.
    await queryRunner.query(`
      CREATE TABLE profiles.contact_events (
        workspace_id text NOT NULL,
        message_id text NOT NULL,
        contact_id text NOT NULL,
        event_name text NOT NULL,
        occurred_at timestamptz NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (workspace_id, message_id))`);
    await queryRunner.query(
      `CREATE INDEX contact_events_contact_idx ON profiles.contact_events (workspace_id, contact_id, occurred_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE profiles.consents (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        source text NOT NULL,
        updated_at timestamptz NOT NULL,
        message_id text NOT NULL,
        PRIMARY KEY (workspace_id, contact_id, channel))`);
    // Every consent statement ever received, superseded or not: the evidence.
    await queryRunner.query(`
      CREATE TABLE profiles.consent_evidence (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        source text NOT NULL,
        occurred_at timestamptz NOT NULL,
        message_id text NOT NULL,
        event_name text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(
      `CREATE INDEX consent_evidence_contact_idx ON profiles.consent_evidence (workspace_id, contact_id)`,
    );
    // A workspace with a row here uses its own rules (possibly none); without one, the defaults.
    await queryRunner.query(`
      CREATE TABLE profiles.lead_scoring_rule_sets (
        workspace_id text PRIMARY KEY,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await queryRunner.query(`
      CREATE TABLE profiles.lead_scoring_rules (
        workspace_id text NOT NULL REFERENCES profiles.lead_scoring_rule_sets (workspace_id) ON DELETE CASCADE,
        event_name text NOT NULL,
        points double precision NOT NULL,
        PRIMARY KEY (workspace_id, event_name))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "lead_scoring_rules",
      "lead_scoring_rule_sets",
      "consent_evidence",
      "consents",
      "contact_events",
      "event_counters",
      "identities",
    ]) {
      await queryRunner.query(`DROP TABLE profiles.${table}`);
    }
    await queryRunner.query(`
      ALTER TABLE profiles.contacts
        DROP COLUMN user_id, DROP COLUMN traits, DROP COLUMN lead_score,
        DROP COLUMN engagement_mass, DROP COLUMN engagement_at, DROP COLUMN merged_from`);
  }
}
