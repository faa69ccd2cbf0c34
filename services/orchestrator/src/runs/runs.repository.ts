import type { EntityManager } from "typeorm";
import type { AdvanceResult, RunIdentity, TimerKind } from "../engine/engine-types.js";
import type { RunState, RunStatusName } from "../engine/run-state.js";

export interface RunRow extends RunIdentity {
  readonly status: RunStatusName;
  readonly state: RunState;
}

interface RunRecord {
  run_id: string;
  workspace_id: string;
  workflow_id: string;
  version: number;
  contact_id: string;
  status: RunStatusName;
  state: RunState;
  started_at: Date;
}

const toRow = (record: RunRecord): RunRow => ({
  runId: record.run_id,
  workspace: record.workspace_id,
  workflowId: record.workflow_id,
  version: record.version,
  contactId: record.contact_id,
  status: record.status,
  state: record.state,
  startedAt: new Date(record.started_at).toISOString(),
});

const RUN_COLUMNS = "run_id, workspace_id, workflow_id, version, contact_id, status, state, started_at";

export interface NewRun extends RunIdentity {
  readonly exclusive: boolean;
  readonly watchesContact: boolean;
  readonly state: RunState;
  readonly startCommandId: string;
}

export interface DueTimer {
  readonly id: string;
  readonly runId: string;
  readonly tokenId: string;
  readonly nodeId: string;
  readonly kind: TimerKind;
}

/** orchestrator.runs with their timers, waits and step executions. Every method runs in the caller's transaction. */
export class RunsRepository {
  /** Inserts the run; false when the one-active-run index refused it (another active run exists). */
  async insert(manager: EntityManager, run: NewRun): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO orchestrator.runs (run_id, workspace_id, workflow_id, version, contact_id, status, exclusive, watches_contact,
         state, start_command_id, started_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8::jsonb, $9, $10, $10)
       ON CONFLICT DO NOTHING RETURNING run_id`,
      [
        run.runId,
        run.workspace,
        run.workflowId,
        run.version,
        run.contactId,
        run.exclusive,
        run.watchesContact,
        JSON.stringify(run.state),
        run.startCommandId,
        run.startedAt,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /** The run, locked until the transaction ends. */
  async lock(manager: EntityManager, runId: string): Promise<RunRow | undefined> {
    const rows = (await manager.query(`SELECT ${RUN_COLUMNS} FROM orchestrator.runs WHERE run_id = $1 FOR UPDATE`, [
      runId,
    ])) as RunRecord[];
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /**
   * Locks the run unless another transaction holds it: "busy" then (the caller leaves its work for later
   * instead of waiting, which could deadlock with a holder that deletes the caller's claimed timers).
   */
  async tryLock(manager: EntityManager, runId: string): Promise<RunRow | "busy" | undefined> {
    const rows = (await manager.query(
      `SELECT ${RUN_COLUMNS} FROM orchestrator.runs WHERE run_id = $1 FOR UPDATE SKIP LOCKED`,
      [runId],
    )) as RunRecord[];
    if (rows[0]) return toRow(rows[0]);
    return (await this.find(manager, runId)) ? "busy" : undefined;
  }

  async find(manager: EntityManager, runId: string): Promise<RunRow | undefined> {
    const rows = (await manager.query(`SELECT ${RUN_COLUMNS} FROM orchestrator.runs WHERE run_id = $1`, [
      runId,
    ])) as RunRecord[];
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  /** Active runs of a contact, locked (optionally only those of one workflow, or only those watching the contact). */
  async lockActiveOfContact(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    filter: { workflowId?: string; watchingOnly?: boolean } = {},
  ): Promise<RunRow[]> {
    const rows = (await manager.query(
      `SELECT ${RUN_COLUMNS} FROM orchestrator.runs
       WHERE workspace_id = $1 AND contact_id = $2 AND status IN ('running', 'waiting')
         AND ($3::text IS NULL OR workflow_id = $3) AND (NOT $4::boolean OR watches_contact)
       ORDER BY run_id FOR UPDATE`,
      [workspaceId, contactId, filter.workflowId ?? null, filter.watchingOnly ?? false],
    )) as RunRecord[];
    return rows.map(toRow);
  }

  /** True when the contact has an active run of the workflow. */
  async hasActive(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    contactId: string,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM orchestrator.runs WHERE workspace_id = $1 AND workflow_id = $2 AND contact_id = $3 AND status IN ('running', 'waiting') LIMIT 1`,
      [workspaceId, workflowId, contactId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** True when the contact started a run of the workflow at or after `since` (any version). */
  async startedSince(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    contactId: string,
    since: Date,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM orchestrator.runs WHERE workspace_id = $1 AND workflow_id = $2 AND contact_id = $3 AND started_at >= $4 LIMIT 1`,
      [workspaceId, workflowId, contactId, since],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Runs waiting for `event` from the contact, with the waiting token. */
  async waitsFor(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    event: string,
  ): Promise<{ runId: string; tokenId: string }[]> {
    const rows = (await manager.query(
      `SELECT run_id, token_id FROM orchestrator.waits WHERE workspace_id = $1 AND contact_id = $2 AND event = $3 ORDER BY run_id`,
      [workspaceId, contactId, event],
    )) as { run_id: string; token_id: string }[];
    return rows.map((row) => ({ runId: row.run_id, tokenId: row.token_id }));
  }

  /** Whether a token of the run waits under this key (an event name or an outcome wait key). */
  async hasWait(manager: EntityManager, runId: string, event: string): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM orchestrator.waits WHERE run_id = $1 AND event = $2 LIMIT 1`, [
      runId,
      event,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * Claims due timers of the given kinds: locked (SKIP LOCKED, so replicas share them without double firing)
   * until the caller's transaction ends. Ordered by run so two replicas lock runs in the same order.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<DueTimer[]> {
    const rows = (await manager.query(
      `SELECT id, run_id, token_id, node_id, kind FROM orchestrator.timers
       WHERE due_at <= $1 AND kind <> 'task' ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    )) as { id: string; run_id: string; token_id: string; node_id: string; kind: TimerKind }[];
    return rows
      .map((row) => ({
        id: String(row.id),
        runId: row.run_id,
        tokenId: row.token_id,
        nodeId: row.node_id,
        kind: row.kind,
      }))
      .sort((a, b) => a.runId.localeCompare(b.runId) || a.id.localeCompare(b.id));
  }

  /** Claims due tasks by pushing their due time past the lease: a crashed worker's task comes back after it. */
  async leaseDueTasks(manager: EntityManager, now: Date, leaseUntil: Date, limit: number): Promise<DueTimer[]> {
    const answer = (await manager.query(
      `UPDATE orchestrator.timers SET due_at = $2
       WHERE id IN (SELECT id FROM orchestrator.timers WHERE kind = 'task' AND due_at <= $1 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id, run_id, token_id, node_id, kind`,
      [now, leaseUntil, limit],
    )) as unknown[];
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const rows = (Array.isArray(answer[0]) ? answer[0] : answer) as {
      id: string;
      run_id: string;
      token_id: string;
      node_id: string;
      kind: TimerKind;
    }[];
    return rows.map((row) => ({
      id: String(row.id),
      runId: row.run_id,
      tokenId: row.token_id,
      nodeId: row.node_id,
      kind: row.kind,
    }));
  }

  async deleteTimer(manager: EntityManager, timerId: string): Promise<void> {
    await manager.query(`DELETE FROM orchestrator.timers WHERE id = $1`, [timerId]);
  }

  async timerExists(manager: EntityManager, timerId: string): Promise<boolean> {
    const rows = (await manager.query(`SELECT 1 FROM orchestrator.timers WHERE id = $1`, [timerId])) as unknown[];
    return rows.length > 0;
  }

  /** Writes what one advance changed: the run row, timers, waits and step executions (in batches). */
  async saveAdvance(manager: EntityManager, run: RunRow, result: AdvanceResult, now: Date): Promise<void> {
    const finished = result.finished;
    await manager.query(
      `UPDATE orchestrator.runs SET status = $2, state = $3::jsonb, updated_at = $4,
         finished_at = CASE WHEN $5::boolean THEN $4 ELSE finished_at END,
         finish_reason = COALESCE($6, finish_reason), error = COALESCE($7::jsonb, error)
       WHERE run_id = $1`,
      [
        run.runId,
        result.status,
        JSON.stringify(result.state),
        now,
        finished !== undefined,
        finished?.reason ?? null,
        finished?.error ? JSON.stringify(finished.error) : null,
      ],
    );
    if (finished) {
      await manager.query(`DELETE FROM orchestrator.timers WHERE run_id = $1`, [run.runId]);
      await manager.query(`DELETE FROM orchestrator.waits WHERE run_id = $1`, [run.runId]);
    } else if (result.clearedTokens.length > 0) {
      await manager.query(`DELETE FROM orchestrator.timers WHERE run_id = $1 AND token_id = ANY($2::text[])`, [
        run.runId,
        result.clearedTokens,
      ]);
      await manager.query(`DELETE FROM orchestrator.waits WHERE run_id = $1 AND token_id = ANY($2::text[])`, [
        run.runId,
        result.clearedTokens,
      ]);
    }
    if (!finished && result.timers.length > 0) {
      await manager.query(
        `INSERT INTO orchestrator.timers (run_id, token_id, node_id, kind, due_at)
         SELECT $1, t.token_id, t.node_id, t.kind, t.due_at FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(token_id, node_id, kind, due_at)`,
        [
          run.runId,
          result.timers.map((t) => t.tokenId),
          result.timers.map((t) => t.nodeId),
          result.timers.map((t) => t.kind),
          result.timers.map((t) => t.dueAt),
        ],
      );
    }
    if (!finished && result.waits.length > 0) {
      await manager.query(
        `INSERT INTO orchestrator.waits (run_id, token_id, node_id, workspace_id, contact_id, event)
         SELECT $1, w.token_id, w.node_id, $2, $3, w.event FROM unnest($4::text[], $5::text[], $6::text[]) AS w(token_id, node_id, event)
         ON CONFLICT (run_id, token_id) DO UPDATE SET node_id = EXCLUDED.node_id, event = EXCLUDED.event`,
        [
          run.runId,
          run.workspace,
          run.contactId,
          result.waits.map((w) => w.tokenId),
          result.waits.map((w) => w.nodeId),
          result.waits.map((w) => w.event),
        ],
      );
    }
    if (result.steps.length > 0) {
      const steps = result.steps;
      await manager.query(
        `INSERT INTO orchestrator.step_executions (run_id, step_key, node_id, node_kind, status, branch, started_at, finished_at, error)
         SELECT $1, s.step_key, s.node_id, s.node_kind, s.status, s.branch, s.started_at, s.finished_at, s.error
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[], $9::jsonb[])
           AS s(step_key, node_id, node_kind, status, branch, started_at, finished_at, error)`,
        [
          run.runId,
          steps.map((s) => s.stepKey),
          steps.map((s) => s.nodeId),
          steps.map((s) => s.nodeKind),
          steps.map((s) => s.status),
          steps.map((s) => s.branch ?? null),
          steps.map((s) => s.startedAt),
          steps.map((s) => s.finishedAt),
          steps.map((s) => (s.error ? JSON.stringify(s.error) : null)),
        ],
      );
    }
  }

  /** Records a channel outcome on the step that sent it. */
  async recordOutcome(manager: EntityManager, runId: string, stepKey: string, outcome: string): Promise<void> {
    await manager.query(`UPDATE orchestrator.step_executions SET outcome = $3 WHERE run_id = $1 AND step_key = $2`, [
      runId,
      stepKey,
      outcome,
    ]);
  }

  /** True when this run is the first to record the broadcast key (once-per-workflow effects). */
  async claimBroadcast(manager: EntityManager, workspaceId: string, key: string, runId: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO orchestrator.broadcasts (workspace_id, broadcast_key, run_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING run_id`,
      [workspaceId, key, runId],
    )) as unknown[];
    return rows.length === 1;
  }

  async broadcastDone(manager: EntityManager, workspaceId: string, key: string): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM orchestrator.broadcasts WHERE workspace_id = $1 AND broadcast_key = $2`,
      [workspaceId, key],
    )) as unknown[];
    return rows.length > 0;
  }
}
