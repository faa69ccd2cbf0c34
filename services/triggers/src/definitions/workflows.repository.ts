import type { EntityManager } from "typeorm";
import type { WorkflowSnapshot } from "../matching/workflow-snapshot.js";

export interface StoredWorkflow {
  workspaceId: string;
  workflowId: string;
  version: number;
  status: "published" | "archived";
  definitionJson: string;
  /** The compiled triggers of a published version; null when archived. */
  compiled: WorkflowSnapshot | null;
  /** Change counter (a sequence); every replica reloads what changed since the last revision it saw. */
  revision: bigint;
}

interface WorkflowRow {
  workspace_id: string;
  workflow_id: string;
  version: number;
  status: "published" | "archived";
  definition_json: string;
  compiled: WorkflowSnapshot | null;
  revision: string;
}

const toStored = (row: WorkflowRow): StoredWorkflow => ({
  workspaceId: row.workspace_id,
  workflowId: row.workflow_id,
  version: row.version,
  status: row.status,
  definitionJson: row.definition_json,
  compiled: row.compiled,
  revision: BigInt(row.revision),
});

/** The latest version of each workflow the triggers service knows (table `triggers.workflows`). */
export class WorkflowsRepository {
  async lockCurrent(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
  ): Promise<StoredWorkflow | undefined> {
    const rows: WorkflowRow[] = await manager.query(
      `SELECT * FROM triggers.workflows WHERE workspace_id = $1 AND workflow_id = $2 FOR UPDATE`,
      [workspaceId, workflowId],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  async save(manager: EntityManager, workflow: Omit<StoredWorkflow, "revision">): Promise<void> {
    await manager.query(
      `INSERT INTO triggers.workflows (workspace_id, workflow_id, version, status, definition_json, compiled)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT (workspace_id, workflow_id) DO UPDATE SET version = EXCLUDED.version, status = EXCLUDED.status,
         definition_json = EXCLUDED.definition_json, compiled = EXCLUDED.compiled,
         revision = nextval('triggers.workflow_revisions'), updated_at = now()`,
      [
        workflow.workspaceId,
        workflow.workflowId,
        workflow.version,
        workflow.status,
        workflow.definitionJson,
        workflow.compiled === null ? null : JSON.stringify(workflow.compiled),
      ],
    );
  }

  async recordRefusal(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    version: number,
    problems: readonly string[],
  ): Promise<void> {
    await manager.query(
      `INSERT INTO triggers.refused_definitions (workspace_id, workflow_id, version, problems) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT DO NOTHING`,
      [workspaceId, workflowId, version, JSON.stringify(problems)],
    );
  }

  /** Workflows changed after `revision` (all of them from 0), oldest change first. */
  async changedSince(manager: EntityManager, revision: bigint): Promise<StoredWorkflow[]> {
    const rows: WorkflowRow[] = await manager.query(
      `SELECT * FROM triggers.workflows WHERE revision > $1 ORDER BY revision`,
      [revision.toString()],
    );
    return rows.map(toStored);
  }
}
