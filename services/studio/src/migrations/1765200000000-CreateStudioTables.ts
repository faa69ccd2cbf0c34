import type { MigrationInterface, QueryRunner } from "typeorm";

/** Workflows with their draft, immutable published versions, role-scoped API keys, and run statistics. */
export class CreateStudioTables1765200000000 implements MigrationInterface {
  readonly name = "CreateStudioTables1765200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE studio.workflows (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        template_id text NOT NULL DEFAULT '',
        draft jsonb NOT NULL,
        draft_revision integer NOT NULL DEFAULT 1,
        published_version integer,
        status text NOT NULL DEFAULT 'draft',
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, workflow_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE studio.workflow_versions (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        published_by text NOT NULL,
        published_at timestamptz NOT NULL,
        note text NOT NULL DEFAULT '',
        restored_from integer,
        PRIMARY KEY (workspace_id, workflow_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE studio.api_keys (
        key_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_workspace ON studio.api_keys (workspace_id)`);
    await queryRunner.query(`
      CREATE TABLE studio.node_stats (
        workspace_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        node_id text NOT NULL,
        entered bigint NOT NULL DEFAULT 0,
        completed bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        waiting bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, workflow_id, version, node_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE studio.runs (
        workspace_id text NOT NULL,
        run_id text NOT NULL,
        workflow_id text NOT NULL,
        version integer NOT NULL,
        contact_id text NOT NULL,
        status text NOT NULL,
        waiting_node_id text,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        finished_at timestamptz,
        PRIMARY KEY (workspace_id, run_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX runs_by_workflow ON studio.runs (workspace_id, workflow_id, started_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE studio.run_events (
        workspace_id text NOT NULL,
        message_id text NOT NULL,
        run_id text NOT NULL,
        kind text NOT NULL,
        node_id text NOT NULL DEFAULT '',
        node_kind text NOT NULL DEFAULT '',
        status text NOT NULL,
        branch text NOT NULL DEFAULT '',
        error_code text NOT NULL DEFAULT '',
        error_message text NOT NULL DEFAULT '',
        duration_ms double precision,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, message_id)
      )`);
    await queryRunner.query(`CREATE INDEX run_events_by_run ON studio.run_events (workspace_id, run_id, occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["run_events", "runs", "node_stats", "api_keys", "workflow_versions", "workflows"]) {
      await queryRunner.query(`DROP TABLE studio.${table}`);
    }
  }
}
