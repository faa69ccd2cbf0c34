import type { EntityManager } from "typeorm";
import type { CompiledTrigger, CompiledWorkflow } from "../matching/compiled-trigger.js";
import type { ContactView } from "../matching/evaluation-context.js";
import { holds } from "../matching/event-matcher.js";

export type EntryDecision = "admitted" | "excluded" | "frequency_limited";

export interface EntryRequest {
  workflow: CompiledWorkflow;
  /** The trigger that fired (frequency limits are per trigger); undefined for manual starts without a manual node. */
  trigger?: CompiledTrigger;
  contactId: string;
  contact: ContactView | undefined;
  /** When the start happens: the event time, or the scheduled time. */
  at: Date;
  /** What caused it (event id, firing key, request id): a second admission with the same cause records nothing new. */
  causeId: string;
}

/**
 * Entry rules applied before a StartRun is sent: the workflow's exclusion filters and the trigger's frequency
 * limit. Re-entry and one-active-run are the orchestrator's (it is authoritative for runs). An admitted start is
 * recorded (for the limit, and as an enrolment so goal / exit conditions know where to send CancelRun).
 */
export class EntryGate {
  async admit(manager: EntityManager, request: EntryRequest): Promise<EntryDecision> {
    const { workflow, trigger, contactId, at, causeId } = request;
    const context = { contact: request.contact };
    if (workflow.exclusions.some((exclusion) => holds(exclusion, context, at))) return "excluded";

    const key = trigger?.key ?? `${workflow.workflowId}/manual`;
    const limit = trigger?.frequencyLimit;
    if (limit) {
      const rows: Array<{ starts: number }> = await manager.query(
        `SELECT count(*)::int AS starts FROM triggers.trigger_starts
          WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3 AND started_at > $4 AND cause_id <> $5`,
        [workflow.workspaceId, key, contactId, new Date(at.getTime() - limit.withinMs), causeId],
      );
      if ((rows[0]?.starts ?? 0) >= limit.max) return "frequency_limited";
    }
    await manager.query(
      `INSERT INTO triggers.trigger_starts (workspace_id, trigger_key, contact_id, started_at, cause_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [workflow.workspaceId, key, contactId, at, causeId],
    );
    await manager.query(
      `INSERT INTO triggers.enrolments (workspace_id, workflow_id, contact_id, last_started_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (workspace_id, workflow_id, contact_id) DO UPDATE SET last_started_at = now()`,
      [workflow.workspaceId, workflow.workflowId, contactId],
    );
    return "admitted";
  }

  /**
   * Marks the contact's enrolment in the workflow as cancelled; false when this service started no run for the
   * contact since the last cancel (so no CancelRun is needed).
   */
  async closeEnrolment(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    contactId: string,
  ): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [unknown[], number] = await manager.query(
      `UPDATE triggers.enrolments SET last_cancelled_at = now()
        WHERE workspace_id = $1 AND workflow_id = $2 AND contact_id = $3
          AND (last_cancelled_at IS NULL OR last_cancelled_at < last_started_at)
        RETURNING contact_id`,
      [workspaceId, workflowId, contactId],
    );
    return rows.length === 1;
  }
}
