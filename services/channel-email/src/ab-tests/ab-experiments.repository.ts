import type { EntityManager } from "typeorm";
import { returnedRows } from "@cascade/compliance";
import type { AbConfig } from "./ab-config.js";
import type { VariantResult, WinnerDecision } from "./winner-selection.js";

export interface ExperimentState {
  winnerVariantId: string | null;
  autoWinnerAfter: number | null;
  decision: WinnerDecision | null;
  decidedAt: Date | null;
}

/** channel_email.ab_experiments (settings and winner per workflow step) and ab_conversions. */
export class AbExperimentsRepository {
  /** Stores the step's latest A/B settings and returns its state (the winner, once chosen), in one round trip. */
  async register(manager: EntityManager, workspaceId: string, config: AbConfig): Promise<ExperimentState> {
    const rows = (await manager.query(
      `INSERT INTO channel_email.ab_experiments AS e (workspace_id, workflow_id, node_id, conversion_event, conversion_window_ms, auto_winner_after)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, workflow_id, node_id) DO UPDATE SET conversion_event = EXCLUDED.conversion_event,
         conversion_window_ms = EXCLUDED.conversion_window_ms, auto_winner_after = EXCLUDED.auto_winner_after
       RETURNING winner_variant_id, auto_winner_after, decision, decided_at`,
      [
        workspaceId,
        config.workflowId,
        config.nodeId,
        config.conversionEvent,
        config.conversionWindowMs,
        config.autoWinnerAfter,
      ],
    )) as Array<{
      winner_variant_id: string | null;
      auto_winner_after: number | null;
      decision: WinnerDecision | null;
      decided_at: Date | null;
    }>;
    return toState(rows[0]);
  }

  async state(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    nodeId: string,
  ): Promise<ExperimentState | undefined> {
    const rows = (await manager.query(
      `SELECT winner_variant_id, auto_winner_after, decision, decided_at FROM channel_email.ab_experiments WHERE workspace_id = $1 AND workflow_id = $2 AND node_id = $3`,
      [workspaceId, workflowId, nodeId],
    )) as Array<{
      winner_variant_id: string | null;
      auto_winner_after: number | null;
      decision: WinnerDecision | null;
      decided_at: Date | null;
    }>;
    return rows[0] ? toState(rows[0]) : undefined;
  }

  /** Per variant: sends accepted by a provider, sends opened, sends clicked, sends followed by a conversion. */
  async results(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    nodeId: string,
  ): Promise<VariantResult[]> {
    const rows = (await manager.query(
      `SELECT l.variant_id, count(*) FILTER (WHERE l.sent_at IS NOT NULL)::int AS sent, count(l.opened_at)::int AS opens,
              count(l.clicked_at)::int AS clicks, count(c.idempotency_key)::int AS conversions
       FROM channel_email.send_ledger l
       LEFT JOIN channel_email.ab_conversions c ON c.workspace_id = l.workspace_id AND c.idempotency_key = l.idempotency_key
       WHERE l.workspace_id = $1 AND l.workflow_id = $2 AND l.node_id = $3 AND l.variant_id IS NOT NULL
       GROUP BY l.variant_id ORDER BY l.variant_id`,
      [workspaceId, workflowId, nodeId],
    )) as Array<{ variant_id: string; sent: number; opens: number; clicks: number; conversions: number }>;
    return rows.map((row) => ({
      variantId: row.variant_id,
      sent: row.sent,
      opens: row.opens,
      clicks: row.clicks,
      conversions: row.conversions,
    }));
  }

  /** Records the winner unless one was recorded meanwhile; true when this call decided. */
  async decide(
    manager: EntityManager,
    workspaceId: string,
    workflowId: string,
    nodeId: string,
    decision: WinnerDecision,
    at: Date,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `UPDATE channel_email.ab_experiments SET winner_variant_id = $4, decision = $5::jsonb, decided_at = $6
       WHERE workspace_id = $1 AND workflow_id = $2 AND node_id = $3 AND winner_variant_id IS NULL RETURNING 1`,
      [workspaceId, workflowId, nodeId, decision.winner, JSON.stringify(decision), at],
    )) as unknown;
    return returnedRows(rows).length > 0;
  }

  /**
   * A track event named as some experiment's conversion event: attributes it to the contact's LAST send of each
   * such experiment (of the workspace) sent within the experiment's window before `at`. One conversion per send.
   */
  async recordConversion(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    eventName: string,
    at: Date,
  ): Promise<number> {
    const rows = (await manager.query(
      `INSERT INTO channel_email.ab_conversions (workspace_id, idempotency_key, workflow_id, node_id, variant_id, contact_id, event_name, converted_at)
       SELECT DISTINCT ON (l.workflow_id, l.node_id) l.workspace_id, l.idempotency_key, l.workflow_id, l.node_id, l.variant_id, l.contact_id, $3, $4
       FROM channel_email.ab_experiments e
       JOIN channel_email.send_ledger l ON l.workspace_id = e.workspace_id AND l.workflow_id = e.workflow_id AND l.node_id = e.node_id
       WHERE e.workspace_id = $1 AND e.conversion_event = $3 AND l.contact_id = $2 AND l.variant_id IS NOT NULL
         AND l.sent_at IS NOT NULL AND l.sent_at <= $4 AND l.sent_at > $4::timestamptz - e.conversion_window_ms * interval '1 millisecond'
       ORDER BY l.workflow_id, l.node_id, l.sent_at DESC
       ON CONFLICT (workspace_id, idempotency_key) DO NOTHING
       RETURNING 1`,
      [workspaceId, contactId, eventName, at],
    )) as unknown[];
    return rows.length;
  }
}

function toState(
  row:
    | {
        winner_variant_id: string | null;
        auto_winner_after: number | null;
        decision: WinnerDecision | null;
        decided_at: Date | null;
      }
    | undefined,
): ExperimentState {
  return {
    winnerVariantId: row?.winner_variant_id ?? null,
    autoWinnerAfter: row?.auto_winner_after ?? null,
    decision: row?.decision ?? null,
    decidedAt: row?.decided_at ? new Date(row.decided_at) : null,
  };
}
