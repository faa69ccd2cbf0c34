import type { EntityManager } from "typeorm";

export type Counter = "entered" | "completed" | "failed" | "waiting";

export interface NodeCounts {
  entered: number;
  completed: number;
  failed: number;
  /** Runs waiting in the node right now (delay, wait for event, merge). */
  waiting: number;
}

export interface RunSummary {
  runId: string;
  workflowId: string;
  version: number;
  contactId: string;
  status: string;
  waitingNodeId: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface TimelineEntry {
  messageId: string;
  kind: string;
  nodeId: string;
  nodeKind: string;
  status: string;
  branch: string;
  error: { code: string; message: string } | null;
  durationMs: number | null;
  occurredAt: string;
}

interface RunRow {
  run_id: string;
  workflow_id: string;
  version: number;
  contact_id: string;
  status: string;
  waiting_node_id: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const toRun = (row: RunRow): RunSummary => ({
  runId: row.run_id,
  workflowId: row.workflow_id,
  version: Number(row.version),
  contactId: row.contact_id,
  status: row.status,
  waitingNodeId: row.waiting_node_id,
  startedAt: new Date(row.started_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
  finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
});

/** studio.node_stats, studio.runs and studio.run_events, built from workflow.runs.v1. */
export class RunStatsRepository {
  async addToCounter(
    manager: EntityManager,
    key: { workspaceId: string; workflowId: string; version: number; nodeId: string },
    counter: Counter,
    delta: number,
    at: Date,
  ): Promise<void> {
    // `counter` is one of four column names, never user input.
    await manager.query(
      `INSERT INTO studio.node_stats (workspace_id, workflow_id, version, node_id, ${counter}, updated_at)
       VALUES ($1, $2, $3, $4, GREATEST($5::bigint, 0), $6)
       ON CONFLICT (workspace_id, workflow_id, version, node_id)
       DO UPDATE SET ${counter} = GREATEST(studio.node_stats.${counter} + $5::bigint, 0), updated_at = $6`,
      [key.workspaceId, key.workflowId, key.version, key.nodeId, delta, at],
    );
  }

  async findRun(manager: EntityManager, workspaceId: string, runId: string): Promise<RunSummary | undefined> {
    const rows = (await manager.query(`SELECT * FROM studio.runs WHERE workspace_id = $1 AND run_id = $2`, [
      workspaceId,
      runId,
    ])) as RunRow[];
    return rows[0] ? toRun(rows[0]) : undefined;
  }

  /** Creates the run on its first event, then keeps its status, waiting node and finish time current. */
  async upsertRun(
    manager: EntityManager,
    workspaceId: string,
    run: {
      runId: string;
      workflowId: string;
      version: number;
      contactId: string;
      status: string;
      waitingNodeId: string | null;
      at: Date;
      finished: boolean;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO studio.runs (workspace_id, run_id, workflow_id, version, contact_id, status, waiting_node_id, started_at, updated_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, CASE WHEN $9 THEN $8::timestamptz END)
       ON CONFLICT (workspace_id, run_id) DO UPDATE SET status = $6, waiting_node_id = $7, updated_at = $8,
         finished_at = CASE WHEN $9 THEN $8::timestamptz ELSE studio.runs.finished_at END,
         contact_id = CASE WHEN studio.runs.contact_id = '' THEN $5 ELSE studio.runs.contact_id END`,
      [
        workspaceId,
        run.runId,
        run.workflowId,
        run.version,
        run.contactId,
        run.status,
        run.waitingNodeId,
        run.at,
        run.finished,
      ],
    );
  }

  async addTimelineEntry(
    manager: EntityManager,
    workspaceId: string,
    runId: string,
    entry: TimelineEntry,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO studio.run_events (workspace_id, message_id, run_id, kind, node_id, node_kind, status, branch, error_code, error_message, duration_ms, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
      [
        workspaceId,
        entry.messageId,
        runId,
        entry.kind,
        entry.nodeId,
        entry.nodeKind,
        entry.status,
        entry.branch,
        entry.error?.code ?? "",
        entry.error?.message ?? "",
        entry.durationMs,
        entry.occurredAt,
      ],
    );
  }

  /** Per-node counts of a workflow: one version, or summed over every version. */
  async nodeCounts(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    version?: number,
  ): Promise<Record<string, NodeCounts>> {
    const rows = (await manager.query(
      `SELECT node_id, SUM(entered) AS entered, SUM(completed) AS completed, SUM(failed) AS failed, SUM(waiting) AS waiting
       FROM studio.node_stats WHERE workspace_id = $1 AND workflow_id = $2 AND ($3::int IS NULL OR version = $3::int)
       GROUP BY node_id ORDER BY node_id`,
      [workspaceId, workflowId, version ?? null],
    )) as Array<{ node_id: string; entered: string; completed: string; failed: string; waiting: string }>;
    return Object.fromEntries(
      rows.map((row) => [
        row.node_id,
        {
          entered: Number(row.entered),
          completed: Number(row.completed),
          failed: Number(row.failed),
          waiting: Number(row.waiting),
        },
      ]),
    );
  }

  async runCounts(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    version?: number,
  ): Promise<Record<string, number>> {
    const rows = (await manager.query(
      `SELECT status, COUNT(*) AS count FROM studio.runs
       WHERE workspace_id = $1 AND workflow_id = $2 AND ($3::int IS NULL OR version = $3::int) GROUP BY status`,
      [workspaceId, workflowId, version ?? null],
    )) as Array<{ status: string; count: string }>;
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  async listRuns(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    limit: number,
    status?: string,
  ): Promise<RunSummary[]> {
    const rows = (await manager.query(
      `SELECT * FROM studio.runs WHERE workspace_id = $1 AND workflow_id = $2 AND ($3::text IS NULL OR status = $3::text)
       ORDER BY started_at DESC, run_id DESC LIMIT $4`,
      [workspaceId, workflowId, status ?? null, limit],
    )) as RunRow[];
    return rows.map(toRun);
  }

  async timeline(manager: EntityManager, workspaceId: string, runId: string): Promise<TimelineEntry[]> {
    const rows = (await manager.query(
      `SELECT * FROM studio.run_events WHERE workspace_id = $1 AND run_id = $2 ORDER BY occurred_at, message_id`,
      [workspaceId, runId],
    )) as Array<{
      message_id: string;
      kind: string;
      node_id: string;
      node_kind: string;
      status: string;
      branch: string;
      error_code: string;
      error_message: string;
      duration_ms: number | null;
      occurred_at: Date;
    }>;
    return rows.map((row) => ({
      messageId: row.message_id,
      kind: row.kind,
      nodeId: row.node_id,
      nodeKind: row.node_kind,
      status: row.status,
      branch: row.branch,
      error: row.error_code || row.error_message ? { code: row.error_code, message: row.error_message } : null,
      durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
      occurredAt: new Date(row.occurred_at).toISOString(),
    }));
  }
}
