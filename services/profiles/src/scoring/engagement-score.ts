/**
 * Engagement score: how recently and how often a contact opens, clicks and visits, in [0, 1].
 *
 *   mass(t)  = Σ_e  w(e) · exp(-(t - t_e) / τ)          over the contact's engagement events e at t_e ≤ t
 *   score(t) = 1 - exp(-mass(t) / S)
 *
 * τ = 14 days (an interaction loses 1/e of its weight every 14 days; its half-life is τ·ln 2 ≈ 9.7 days),
 * S = 10 (saturation: ten fresh opens give 0.63, one fresh click 0.26, one fresh open 0.095).
 * Weights w(e) are ENGAGEMENT_WEIGHTS; events not listed there weigh nothing.
 *
 * The state kept per contact is (mass, at): the mass as of `at`, the time of its latest engagement event.
 * Because every term decays by the same factor, the sum does not depend on the order events are applied
 * in: an event older than `at` adds w·exp(-(at - t_e)/τ), a newer one first decays the mass to t_e. So
 * out-of-order delivery and merging two contacts (combineEngagement) give the same state as one ordered
 * stream would have.
 */
export interface EngagementState {
  /** Decayed weight sum as of `at`. */
  mass: number;
  /** Time of the latest engagement event; null when there was none. */
  at: Date | null;
}

export const ENGAGEMENT_TAU_MS = 14 * 24 * 60 * 60 * 1000;
export const ENGAGEMENT_SATURATION = 10;

/** Weight of one event of each name (normalized event names, see inbound-event.ts). */
export const ENGAGEMENT_WEIGHTS: Readonly<Record<string, number>> = Object.freeze({
  email_opened: 1,
  email_clicked: 3,
  email_replied: 3,
  page_view: 1,
  screen_view: 1,
  push_clicked: 3,
  sms_received: 2,
  social_shared: 2,
});

export const NO_ENGAGEMENT: EngagementState = Object.freeze({ mass: 0, at: null });

export function engagementWeightOf(eventName: string): number {
  return ENGAGEMENT_WEIGHTS[eventName] ?? 0;
}

/** The mass decayed (or, for an earlier `at`, left as is) to time `t`. */
function massAt(state: EngagementState, t: Date): number {
  if (state.at === null || state.mass === 0) return 0;
  const elapsed = t.getTime() - state.at.getTime();
  return elapsed <= 0 ? state.mass : state.mass * Math.exp(-elapsed / ENGAGEMENT_TAU_MS);
}

/** Adds one event of weight `weight` that happened at `at`, in any order relative to earlier calls. */
export function addEngagement(state: EngagementState, weight: number, at: Date): EngagementState {
  if (weight === 0) return state;
  if (state.at === null) return { mass: weight, at };
  if (at.getTime() >= state.at.getTime()) return { mass: massAt(state, at) + weight, at };
  return {
    mass: state.mass + weight * Math.exp(-(state.at.getTime() - at.getTime()) / ENGAGEMENT_TAU_MS),
    at: state.at,
  };
}

/** The state of a contact that has both contacts' engagement events (used when merging). */
export function combineEngagement(a: EngagementState, b: EngagementState): EngagementState {
  if (a.at === null) return b;
  if (b.at === null) return a;
  const at = a.at.getTime() >= b.at.getTime() ? a.at : b.at;
  return { mass: massAt(a, at) + massAt(b, at), at };
}

/** The score in [0, 1] as of time `t` (rounded to 4 decimals so published values are stable). */
export function engagementScore(state: EngagementState, t: Date): number {
  const score = 1 - Math.exp(-massAt(state, t) / ENGAGEMENT_SATURATION);
  return Math.round(score * 10_000) / 10_000;
}
