import { evaluateCondition, globMatches } from "@cascade/workflow";
import type { BehavioralTrigger, CompiledExpression, WebhookTrigger } from "./compiled-trigger.js";
import type { ContactView, TriggerContext } from "./evaluation-context.js";
import { eventViewOf, type InboundEvent } from "./inbound-event.js";
import type { EventMatchable, TriggerIndex } from "./trigger-index.js";

export type EventTriggerCandidate = EventMatchable | WebhookTrigger;

/** The triggers an event might fire, and whether deciding needs the contact projection. */
export interface EventCandidates {
  readonly triggers: readonly EventTriggerCandidate[];
  /** Some filter, exclusion or end condition reads `contact.*`. */
  readonly needsContact: boolean;
}

/** True when the condition holds; evaluated with the event time as `now()` so a replay decides the same. */
export function holds(expression: CompiledExpression | undefined, context: TriggerContext, now: Date): boolean {
  return (
    expression === undefined || evaluateCondition(expression.ast, context as Readonly<Record<string, unknown>>, { now })
  );
}

/**
 * The in-memory half of matching an event: index look-up, then the checks that need no stored state
 * (URL patterns, time on page, the filter). Counting windows, entry rules and end conditions follow in
 * the use case, inside the event's transaction.
 */
export class EventMatcher {
  constructor(private readonly index: TriggerIndex) {}

  candidates(event: InboundEvent): EventCandidates {
    const named = this.index.eventCandidates(event.workspaceId, event.name, event.lowerUrl);
    const hooks = event.hookId === undefined ? [] : this.index.webhookCandidates(event.workspaceId, event.hookId);
    const triggers: readonly EventTriggerCandidate[] = hooks.length === 0 ? named : [...named, ...hooks];
    let needsContact = false;
    for (const trigger of triggers) {
      if (trigger.filter?.readsContact || trigger.workflow.exclusions.length > 0) {
        needsContact = true;
        break;
      }
    }
    return { triggers, needsContact };
  }

  /** The candidates whose URL patterns, time on page and filter accept the event. */
  match(
    event: InboundEvent,
    candidates: readonly EventTriggerCandidate[],
    contact: ContactView | undefined,
  ): EventTriggerCandidate[] {
    if (candidates.length === 0) return [];
    const context: TriggerContext = { event: eventViewOf(event), contact };
    const matched: EventTriggerCandidate[] = [];
    for (const trigger of candidates) {
      if (trigger.kind === "behavioral" && !behaviourMatches(trigger, event)) continue;
      if (!holds(trigger.filter, context, event.occurredAt)) continue;
      matched.push(trigger);
    }
    return matched;
  }
}

function behaviourMatches(trigger: BehavioralTrigger, event: InboundEvent): boolean {
  if (trigger.urlPatterns.length > 0) {
    const url = event.lowerUrl;
    if (url === undefined || !trigger.urlPatterns.some((pattern) => globMatches(url, pattern))) return false;
  }
  if (trigger.minTimeOnPageMs !== undefined) {
    if (event.timeOnPageMs === undefined || event.timeOnPageMs < trigger.minTimeOnPageMs) return false;
  }
  return true;
}
