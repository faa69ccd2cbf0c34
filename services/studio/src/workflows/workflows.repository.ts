import type { EntityManager } from "typeorm";

export type WorkflowStatus = "draft" | "published" | "archived";

export interface WorkflowRecord {
  workspaceId: string;
  workflowId: string;
  name: string;
  description: string;
  templateId: string;
  /** The editable definition as JSON; may be invalid while being edited. */
  draft: Record<string, unknown>;
  /** Incremented on every draft save, for optimistic concurrency. */
  draftRevision: number;
  publishedVersion: number | null;
  status: WorkflowStatus;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRecord {
  workflowId: string;
  version: number;
  definition: Record<string, unknown>;
  publishedBy: string;
  publishedAt: string;
  note: string;
  /** Set when the version republished an older one (rollback). */
  restoredFrom: number | null;
}

interface WorkflowRow {
  workspace_id: string;
  workflow_id: string;
  name: string;
  description: string;
  template_id: string;
  draft: Record<string, unknown> | string;
  draft_revision: number;
  published_version: number | null;
  status: WorkflowStatus;
  created_at: Date;
  updated_at: Date;
}

interface VersionRow {
  workflow_id: string;
  version: number;
  definition: Record<string, unknown> | string;
  published_by: string;
  published_at: Date;
  note: string;
  restored_from: number | null;
}

const json = (value: Record<string, unknown> | string): Record<string, unknown> =>
  typeof value === "string" ? (JSON.parse(value) as Record<string, unknown>) : value;

const toWorkflow = (row: WorkflowRow): WorkflowRecord => ({
  workspaceId: row.workspace_id,
  workflowId: row.workflow_id,
  name: row.name,
  description: row.description,
  templateId: row.template_id,
  draft: json(row.draft),
  draftRevision: Number(row.draft_revision),
  publishedVersion: row.published_version === null ? null : Number(row.published_version),
  status: row.status,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const toVersion = (row: VersionRow): VersionRecord => ({
  workflowId: row.workflow_id,
  version: Number(row.version),
  definition: json(row.definition),
  publishedBy: row.published_by,
  publishedAt: new Date(row.published_at).toISOString(),
  note: row.note,
  restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
});

/** studio.workflows and studio.workflow_versions; every query is scoped to one workspace. */
export class WorkflowsRepository {
  async find(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    forUpdate = false,
  ): Promise<WorkflowRecord | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM studio.workflows WHERE workspace_id = $1 AND workflow_id = $2${forUpdate ? " FOR UPDATE" : ""}`,
      [workspaceId, workflowId],
    )) as WorkflowRow[];
    return rows[0] ? toWorkflow(rows[0]) : undefined;
  }

  async list(manager: EntityManager, workspaceId: string): Promise<WorkflowRecord[]> {
    const rows = (await manager.query(
      `SELECT * FROM studio.workflows WHERE workspace_id = $1 ORDER BY updated_at DESC`,
      [workspaceId],
    )) as WorkflowRow[];
    return rows.map(toWorkflow);
  }

  /** Inserts a workflow; false when the id is taken in the workspace. */
  async insert(manager: EntityManager, record: WorkflowRecord): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO studio.workflows (workspace_id, workflow_id, name, description, template_id, draft, draft_revision,
         published_version, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING workflow_id`,
      [
        record.workspaceId,
        record.workflowId,
        record.name,
        record.description,
        record.templateId,
        JSON.stringify(record.draft),
        record.draftRevision,
        record.publishedVersion,
        record.status,
        record.createdAt,
        record.updatedAt,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  async saveDraft(
    manager: EntityManager,
    key: { workspaceId: string; workflowId: string },
    draft: { definition: Record<string, unknown>; name: string; description: string; revision: number; at: Date },
  ): Promise<void> {
    await manager.query(
      `UPDATE studio.workflows SET draft = $3::jsonb, name = $4, description = $5, draft_revision = $6, updated_at = $7
       WHERE workspace_id = $1 AND workflow_id = $2`,
      [
        key.workspaceId,
        key.workflowId,
        JSON.stringify(draft.definition),
        draft.name,
        draft.description,
        draft.revision,
        draft.at,
      ],
    );
  }

  async setStatus(
    manager: EntityManager,
    key: { workspaceId: string; workflowId: string },
    status: WorkflowStatus,
    publishedVersion: number | null,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE studio.workflows SET status = $3, published_version = $4, updated_at = $5 WHERE workspace_id = $1 AND workflow_id = $2`,
      [key.workspaceId, key.workflowId, status, publishedVersion, at],
    );
  }

  async latestVersionNumber(manager: EntityManager, workspaceId: string, workflowId: string): Promise<number> {
    const rows = (await manager.query(
      `SELECT COALESCE(MAX(version), 0) AS latest FROM studio.workflow_versions WHERE workspace_id = $1 AND workflow_id = $2`,
      [workspaceId, workflowId],
    )) as Array<{ latest: number | string }>;
    return Number(rows[0]?.latest ?? 0);
  }

  async insertVersion(manager: EntityManager, workspaceId: string, version: VersionRecord): Promise<void> {
    await manager.query(
      `INSERT INTO studio.workflow_versions (workspace_id, workflow_id, version, definition, published_by, published_at, note, restored_from)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
      [
        workspaceId,
        version.workflowId,
        version.version,
        JSON.stringify(version.definition),
        version.publishedBy,
        version.publishedAt,
        version.note,
        version.restoredFrom,
      ],
    );
  }

  async findVersion(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    version: number,
  ): Promise<VersionRecord | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM studio.workflow_versions WHERE workspace_id = $1 AND workflow_id = $2 AND version = $3`,
      [workspaceId, workflowId, version],
    )) as VersionRow[];
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  async listVersions(manager: EntityManager, workspaceId: string, workflowId: string): Promise<VersionRecord[]> {
    const rows = (await manager.query(
      `SELECT * FROM studio.workflow_versions WHERE workspace_id = $1 AND workflow_id = $2 ORDER BY version DESC`,
      [workspaceId, workflowId],
    )) as VersionRow[];
    return rows.map(toVersion);
  }
}
