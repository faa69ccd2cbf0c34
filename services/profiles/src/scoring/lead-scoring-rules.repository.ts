import type { EntityManager } from "typeorm";
import { DEFAULT_LEAD_SCORING_RULES, type LeadScoringRule } from "./lead-score.js";

/** profiles.lead_scoring_rules: each workspace's rules; a workspace that never set any uses the defaults. */
export class LeadScoringRulesRepository {
  async rulesOf(
    manager: EntityManager,
    workspaceId: string,
  ): Promise<{ rules: LeadScoringRule[]; isDefault: boolean }> {
    const sets = (await manager.query(`SELECT 1 FROM profiles.lead_scoring_rule_sets WHERE workspace_id = $1`, [
      workspaceId,
    ])) as unknown[];
    if (sets.length === 0) return { rules: DEFAULT_LEAD_SCORING_RULES.map((rule) => ({ ...rule })), isDefault: true };
    const rows = (await manager.query(
      `SELECT event_name, points FROM profiles.lead_scoring_rules WHERE workspace_id = $1 ORDER BY event_name`,
      [workspaceId],
    )) as Array<{ event_name: string; points: number }>;
    return { rules: rows.map((row) => ({ event: row.event_name, points: Number(row.points) })), isDefault: false };
  }

  /** Replaces the workspace's rules with `rules` (an empty list means: no lead scoring). */
  async replace(manager: EntityManager, workspaceId: string, rules: ReadonlyArray<LeadScoringRule>): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.lead_scoring_rule_sets (workspace_id) VALUES ($1)
       ON CONFLICT (workspace_id) DO UPDATE SET updated_at = now()`,
      [workspaceId],
    );
    await manager.query(`DELETE FROM profiles.lead_scoring_rules WHERE workspace_id = $1`, [workspaceId]);
    for (const rule of rules) {
      await manager.query(
        `INSERT INTO profiles.lead_scoring_rules (workspace_id, event_name, points) VALUES ($1, $2, $3)`,
        [workspaceId, rule.event, rule.points],
      );
    }
  }
}
