import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The predictions schema: the activity log features are computed from, the latest features per contact,
 * the debounced scoring queue, the latest prediction per contact and model, the model registry (model
 * artifacts in the database so replicas share them) and the durable training schedule.
 */
export class CreatePredictionsTables1765200000000 implements MigrationInterface {
  readonly name = "CreatePredictionsTables1765200000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE predictions.activity (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        kind text NOT NULL,
        item_id text,
        duration_seconds double precision NOT NULL DEFAULT 0,
        value double precision,
        message_id text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX activity_by_contact ON predictions.activity (workspace_id, contact_id, occurred_at)`,
    );
    await queryRunner.query(`CREATE INDEX activity_by_time ON predictions.activity (workspace_id, occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE predictions.contact_features (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        features jsonb NOT NULL,
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contact_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE predictions.pending_scoring (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        due_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contact_id)
      )`);
    await queryRunner.query(`CREATE INDEX pending_scoring_due ON predictions.pending_scoring (due_at)`);
    await queryRunner.query(`
      CREATE TABLE predictions.contact_predictions (
        workspace_id text NOT NULL,
        contact_id text NOT NULL,
        model text NOT NULL,
        score double precision NOT NULL,
        model_version text NOT NULL,
        confident boolean NOT NULL,
        top_features jsonb NOT NULL DEFAULT '[]',
        recommended_items jsonb NOT NULL DEFAULT '[]',
        scored_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contact_id, model)
      )`);
    await queryRunner.query(`
      CREATE TABLE predictions.model_versions (
        workspace_id text NOT NULL,
        model text NOT NULL,
        version text NOT NULL,
        algorithm text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'retired', 'rejected', 'failed')),
        artifact bytea,
        metrics jsonb,
        current_metrics jsonb,
        baseline_metrics jsonb,
        training jsonb NOT NULL DEFAULT '{}',
        decision text NOT NULL,
        created_at timestamptz NOT NULL,
        promoted_at timestamptz,
        PRIMARY KEY (workspace_id, model, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE predictions.active_models (
        workspace_id text NOT NULL,
        model text NOT NULL,
        version text NOT NULL,
        activated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, model)
      )`);
    await queryRunner.query(`
      CREATE TABLE predictions.training_schedule (
        workspace_id text NOT NULL,
        model text NOT NULL,
        next_run_at timestamptz NOT NULL,
        last_started_at timestamptz,
        last_outcome text,
        PRIMARY KEY (workspace_id, model)
      )`);
    await queryRunner.query(`CREATE INDEX training_schedule_due ON predictions.training_schedule (next_run_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      "training_schedule",
      "active_models",
      "model_versions",
      "contact_predictions",
      "pending_scoring",
      "contact_features",
      "activity",
    ])
      await queryRunner.query(`DROP TABLE predictions.${table}`);
  }
}
