import type { MigrationInterface, QueryRunner } from "typeorm";

/** Definitions (every published version), runs, step executions, timers, event waits, contact projection, broadcasts. */
export class CreateOrchestratorTables1764500000000 implements MigrationInterface {
  readonly name = "CreateOrchestratorTables1764500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orchestrator.definitions (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        status text NOT NULL,
        definition jsonb NOT NULL,
        template_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, workflow_id, version)
      )`);
    // The version new runs start on, and whether the workflow may start runs at all.
    await queryRunner.query(`
      CREATE TABLE orchestrator.workflow_heads (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        PRIMARY KEY (workspace_id, workflow_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE orchestrator.runs (
        run_id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        contact_id text NOT NULL,
        status text NOT NULL,
        exclusive boolean NOT NULL,
        watches_contact boolean NOT NULL,
        state jsonb NOT NULL,
        start_command_id text NOT NULL,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz,
        finish_reason text,
        error jsonb
      )`);
    // One active run per workflow and contact unless the workflow allows concurrent runs.
    await queryRunner.query(`
      CREATE UNIQUE INDEX runs_one_active_idx ON orchestrator.runs (workspace_id, workflow_id, contact_id)
      WHERE exclusive AND status IN ('running', 'waiting')`);
    await queryRunner.query(`
      CREATE INDEX runs_active_by_contact_idx ON orchestrator.runs (workspace_id, contact_id)
      WHERE status IN ('running', 'waiting')`);
    await queryRunner.query(
      `CREATE INDEX runs_reentry_idx ON orchestrator.runs (workspace_id, workflow_id, contact_id, started_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE orchestrator.step_executions (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        step_key text NOT NULL,
        node_id text NOT NULL,
        node_kind text NOT NULL,
        status text NOT NULL,
        branch text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        error jsonb,
        outcome text
      )`);
    await queryRunner.query(`CREATE INDEX step_executions_run_idx ON orchestrator.step_executions (run_id, step_key)`);
    await queryRunner.query(`
      CREATE TABLE orchestrator.timers (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        token_id text NOT NULL,
        node_id text NOT NULL,
        kind text NOT NULL,
        due_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX timers_due_idx ON orchestrator.timers (due_at)`);
    await queryRunner.query(`CREATE INDEX timers_run_idx ON orchestrator.timers (run_id, token_id)`);
    await queryRunner.query(`
      CREATE TABLE orchestrator.waits (
        run_id uuid NOT NULL,
        token_id text NOT NULL,
        node_id text NOT NULL,
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        event text NOT NULL,
        PRIMARY KEY (run_id, token_id)
      )`);
    await queryRunner.query(`CREATE INDEX waits_lookup_idx ON orchestrator.waits (workspace_id, contact_id, event)`);
    await queryRunner.query(`
      CREATE TABLE orchestrator.contacts (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        view jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, contact_id)
      )`);
    // Once-per-workflow effects (social posts, broadcast webhooks): the first run to record the key performs it.
    await queryRunner.query(`
      CREATE TABLE orchestrator.broadcasts (
        workspace_id text NOT NULL,
        broadcast_key text NOT NULL,
        run_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, broadcast_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "broadcasts",
      "contacts",
      "waits",
      "timers",
      "step_executions",
      "runs",
      "workflow_heads",
      "definitions",
    ]) {
      await queryRunner.query(`DROP TABLE orchestrator.${table}`);
    }
  }
}
