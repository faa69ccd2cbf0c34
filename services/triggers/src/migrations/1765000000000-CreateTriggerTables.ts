import type { MigrationInterface, QueryRunner } from "typeorm";

/** Every table of the triggers service (schema `triggers`). */
export class CreateTriggerTables1765000000000 implements MigrationInterface {
  readonly name = "CreateTriggerTables1765000000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // The published version of each workflow; `revision` orders changes so every replica can reload what changed.
      `CREATE SEQUENCE triggers.workflow_revisions`,
      `CREATE TABLE triggers.workflows (
         workspace_id text NOT NULL,
         workflow_id text NOT NULL,
         version integer NOT NULL,
         status text NOT NULL CHECK (status IN ('published', 'archived')),
         definition_json text NOT NULL,
         -- The compiled triggers (WorkflowSnapshot, expression ASTs included) of a published version.
         compiled jsonb NULL,
         revision bigint NOT NULL DEFAULT nextval('triggers.workflow_revisions'),
         updated_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, workflow_id))`,
      `CREATE INDEX workflows_revision_idx ON triggers.workflows (revision)`,
      // Versions refused at publish time (invalid definition or filter), with the problems.
      `CREATE TABLE triggers.refused_definitions (
         workspace_id text NOT NULL,
         workflow_id text NOT NULL,
         version integer NOT NULL,
         problems jsonb NOT NULL,
         refused_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, workflow_id, version))`,
      // Contact projection from profiles.changes.v1: the contact as expressions see it.
      `CREATE TABLE triggers.contacts (
         workspace_id text NOT NULL,
         contact_id text NOT NULL,
         contact jsonb NOT NULL,
         changed_at timestamptz NOT NULL,
         PRIMARY KEY (workspace_id, contact_id))`,
      // Counting windows: one row per qualifying event, per (trigger, contact).
      `CREATE TABLE triggers.window_events (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         contact_id text NOT NULL,
         event_id text NOT NULL,
         event_time timestamptz NOT NULL,
         PRIMARY KEY (workspace_id, trigger_key, contact_id, event_id))`,
      `CREATE INDEX window_events_time_idx ON triggers.window_events (workspace_id, trigger_key, contact_id, event_time)`,
      `CREATE TABLE triggers.window_state (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         contact_id text NOT NULL,
         watermark timestamptz NOT NULL,
         consumed_until timestamptz NULL,
         PRIMARY KEY (workspace_id, trigger_key, contact_id))`,
      // Latest score per (contact, model), for edge-triggered predictive triggers.
      `CREATE TABLE triggers.prediction_levels (
         workspace_id text NOT NULL,
         contact_id text NOT NULL,
         model text NOT NULL,
         score double precision NOT NULL,
         scored_at timestamptz NOT NULL,
         PRIMARY KEY (workspace_id, contact_id, model))`,
      // Every start a trigger caused (frequency limits).
      `CREATE TABLE triggers.trigger_starts (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         contact_id text NOT NULL,
         started_at timestamptz NOT NULL,
         cause_id text NOT NULL,
         PRIMARY KEY (workspace_id, trigger_key, contact_id, cause_id))`,
      `CREATE INDEX trigger_starts_time_idx ON triggers.trigger_starts (workspace_id, trigger_key, contact_id, started_at)`,
      // Which contacts this service started in which workflow, so goal / exit cancels go only where a run may be.
      `CREATE TABLE triggers.enrolments (
         workspace_id text NOT NULL,
         workflow_id text NOT NULL,
         contact_id text NOT NULL,
         last_started_at timestamptz NOT NULL,
         last_cancelled_at timestamptz NULL,
         PRIMARY KEY (workspace_id, workflow_id, contact_id))`,
      // Cron triggers: the next tick of each.
      `CREATE TABLE triggers.cron_schedules (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         workflow_id text NOT NULL,
         node_id text NOT NULL,
         cron text NOT NULL,
         timezone text NOT NULL,
         next_fire_at timestamptz NOT NULL,
         PRIMARY KEY (workspace_id, trigger_key))`,
      `CREATE INDEX cron_schedules_due_idx ON triggers.cron_schedules (next_fire_at)`,
      // Date-property triggers: the next firing per contact.
      `CREATE TABLE triggers.date_schedules (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         workflow_id text NOT NULL,
         contact_id text NOT NULL,
         fire_at timestamptz NOT NULL,
         PRIMARY KEY (workspace_id, trigger_key, contact_id))`,
      `CREATE INDEX date_schedules_due_idx ON triggers.date_schedules (fire_at)`,
      // Every scheduled firing, once: the unique key is what makes a firing happen at most once across replicas.
      `CREATE TABLE triggers.firings (
         workspace_id text NOT NULL,
         trigger_key text NOT NULL,
         scheduled_for timestamptz NOT NULL,
         contact_id text NOT NULL,
         outcome text NOT NULL,
         fired_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (workspace_id, trigger_key, scheduled_for, contact_id))`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "firings",
      "date_schedules",
      "cron_schedules",
      "enrolments",
      "trigger_starts",
      "prediction_levels",
      "window_state",
      "window_events",
      "contacts",
      "refused_definitions",
      "workflows",
    ]) {
      await queryRunner.query(`DROP TABLE triggers.${table}`);
    }
    await queryRunner.query(`DROP SEQUENCE triggers.workflow_revisions`);
  }
}
