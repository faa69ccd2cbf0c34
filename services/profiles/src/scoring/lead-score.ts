/**
 * Lead score: points per event, from per-workspace rules (`PUT /api/lead-scoring/rules`). A workspace that
 * never set rules uses DEFAULT_LEAD_SCORING_RULES. Points add up over the contact's life and never decay;
 * a rule change applies to events processed after it (scores are not recomputed).
 */
export interface LeadScoringRule {
  /** Normalized event name (e.g. `page_view`, `email_opened`, or a track event name such as `content_download`). */
  event: string;
  /** Points added per event; negative points lower the score. */
  points: number;
}

export const DEFAULT_LEAD_SCORING_RULES: ReadonlyArray<LeadScoringRule> = Object.freeze([
  { event: "page_view", points: 1 },
  { event: "email_opened", points: 2 },
  { event: "content_download", points: 10 },
]);

/** Points an event earns under the rules (the sum, should several rules name the same event). */
export function leadPointsFor(rules: ReadonlyArray<LeadScoringRule>, eventName: string): number {
  return rules.reduce((sum, rule) => (rule.event === eventName ? sum + rule.points : sum), 0);
}

/** The event the orchestrator's scoring_update node publishes to adjust a contact's lead score. */
export const LEAD_SCORE_ADJUSTED = "lead_score_adjusted";

/**
 * Points a workflow's scoring_update asked for: `properties.delta` of a `lead_score_adjusted` event (for a
 * "set" the orchestrator computes the delta from the score it knew). Anything else, or a non-finite delta, is 0.
 */
export function workflowAdjustmentOf(eventName: string, properties: Readonly<Record<string, unknown>>): number {
  if (eventName !== LEAD_SCORE_ADJUSTED) return 0;
  const delta = properties.delta;
  return typeof delta === "number" && Number.isFinite(delta) ? delta : 0;
}
