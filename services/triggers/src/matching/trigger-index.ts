import type {
  BehavioralTrigger,
  CompiledTrigger,
  CompiledWorkflow,
  CronTrigger,
  DatePropertyTrigger,
  EndCondition,
  EventTrigger,
  PredictiveTrigger,
  WebhookTrigger,
} from "./compiled-trigger.js";
import { forEachGram, indexGramOf } from "./url-literal.js";

export type EventMatchable = EventTrigger | BehavioralTrigger;

/** The triggers of one (workspace, event name), split so URL-pattern triggers are looked up by URL gram. */
class EventBucket {
  /** Triggers without URL patterns: every event of the name is a candidate. */
  readonly anyUrl: EventMatchable[] = [];
  /** URL-pattern triggers by the gram every matching URL contains. */
  readonly byGram = new Map<string, BehavioralTrigger[]>();
  /** URL-pattern triggers with a pattern too short to index: checked for every URL. */
  readonly unindexedUrl: BehavioralTrigger[] = [];

  add(trigger: EventMatchable): void {
    if (trigger.kind === "event" || trigger.urlPatterns.length === 0) {
      this.anyUrl.push(trigger);
      return;
    }
    const grams = trigger.urlPatterns.map(indexGramOf);
    if (grams.some((gram) => gram === undefined)) {
      this.unindexedUrl.push(trigger);
      return;
    }
    for (const gram of new Set(grams as string[])) pushTo(this.byGram, gram, trigger);
  }

  remove(workflowId: string): void {
    removeWhere(this.anyUrl, workflowId);
    removeWhere(this.unindexedUrl, workflowId);
    for (const [gram, list] of this.byGram) {
      removeWhere(list, workflowId);
      if (list.length === 0) this.byGram.delete(gram);
    }
  }

  get empty(): boolean {
    return this.anyUrl.length === 0 && this.unindexedUrl.length === 0 && this.byGram.size === 0;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function removeWhere(list: Array<{ workflow: CompiledWorkflow }>, workflowId: string): void {
  let kept = 0;
  for (const item of list) if (item.workflow.workflowId !== workflowId) list[kept++] = item;
  list.length = kept;
}

const scoped = (workspaceId: string, name: string): string => `${workspaceId}\u0000${name}`;

/**
 * The in-memory index of every active trigger: from (workspace, event name) — and, for URL-pattern triggers,
 * the URL's grams — to the triggers that might match, so the cost of an event grows with the triggers that
 * care about it, not with the number of workflows. Also indexes webhooks by hook id, predictive triggers by
 * model, and goal / exit conditions by the event names they can be true for.
 */
export class TriggerIndex {
  private readonly workflows = new Map<string, CompiledWorkflow>();
  private readonly events = new Map<string, EventBucket>();
  private readonly webhooks = new Map<string, WebhookTrigger[]>();
  private readonly predictive = new Map<string, PredictiveTrigger[]>();
  private readonly endByEvent = new Map<string, Array<{ workflow: CompiledWorkflow; condition: EndCondition }>>();
  /** Per workspace: end conditions that read the event but do not constrain its name (checked for every event). */
  private readonly endOnAnyEvent = new Map<string, Array<{ workflow: CompiledWorkflow; condition: EndCondition }>>();
  /** Per workspace: end conditions that read no event (checked on contact changes). */
  private readonly endOnContact = new Map<string, Array<{ workflow: CompiledWorkflow; condition: EndCondition }>>();
  private readonly timeBased = new Map<string, Array<CronTrigger | DatePropertyTrigger>>();

  /** Adds a workflow's published version, replacing the one indexed before. */
  upsert(workflow: CompiledWorkflow): void {
    this.remove(workflow.workspaceId, workflow.workflowId);
    this.workflows.set(scoped(workflow.workspaceId, workflow.workflowId), workflow);
    const ws = workflow.workspaceId;
    for (const trigger of workflow.triggers) {
      switch (trigger.kind) {
        case "event":
          this.bucket(ws, trigger.eventName).add(trigger);
          break;
        case "behavioral":
          for (const name of trigger.eventNames) this.bucket(ws, name).add(trigger);
          break;
        case "webhook":
          pushTo(this.webhooks, scoped(ws, trigger.hookId), trigger);
          break;
        case "predictive":
          pushTo(this.predictive, scoped(ws, trigger.model), trigger);
          break;
        case "cron":
        case "date_property":
          pushTo(this.timeBased, ws, trigger);
          break;
        case "manual":
          break;
      }
    }
    for (const condition of workflow.endConditions) {
      const entry = { workflow, condition };
      if (condition.eventNames)
        for (const name of condition.eventNames) pushTo(this.endByEvent, scoped(ws, name), entry);
      else if (condition.expression.readsEvent) pushTo(this.endOnAnyEvent, ws, entry);
      else pushTo(this.endOnContact, ws, entry);
    }
  }

  /** Removes a workflow (archived, or about to be replaced). */
  remove(workspaceId: string, workflowId: string): void {
    const key = scoped(workspaceId, workflowId);
    const existing = this.workflows.get(key);
    if (!existing) return;
    this.workflows.delete(key);
    const ws = workspaceId;
    for (const trigger of existing.triggers) {
      switch (trigger.kind) {
        case "event":
        case "behavioral":
          for (const name of trigger.kind === "event" ? [trigger.eventName] : trigger.eventNames) {
            const bucketKey = scoped(ws, name);
            const bucket = this.events.get(bucketKey);
            bucket?.remove(workflowId);
            if (bucket?.empty) this.events.delete(bucketKey);
          }
          break;
        case "webhook":
          this.removeFromList(this.webhooks, scoped(ws, trigger.hookId), workflowId);
          break;
        case "predictive":
          this.removeFromList(this.predictive, scoped(ws, trigger.model), workflowId);
          break;
        case "cron":
        case "date_property":
          this.removeFromList(this.timeBased, ws, workflowId);
          break;
        case "manual":
          break;
      }
    }
    for (const condition of existing.endConditions) {
      if (condition.eventNames) {
        for (const name of condition.eventNames) this.removeFromList(this.endByEvent, scoped(ws, name), workflowId);
      } else {
        this.removeFromList(this.endOnAnyEvent, ws, workflowId);
        this.removeFromList(this.endOnContact, ws, workflowId);
      }
    }
  }

  workflow(workspaceId: string, workflowId: string): CompiledWorkflow | undefined {
    return this.workflows.get(scoped(workspaceId, workflowId));
  }

  get workflowCount(): number {
    return this.workflows.size;
  }

  /**
   * Event and behavioural triggers that might match an event of `name` with page URL `url` (lower-cased):
   * triggers without URL patterns, URL-pattern triggers sharing a gram with the URL, and unindexable ones.
   * A trigger may be listed once only. Callers still check the patterns and filters.
   */
  eventCandidates(workspaceId: string, name: string, lowerUrl: string | undefined): readonly EventMatchable[] {
    const bucket = this.events.get(scoped(workspaceId, name));
    if (!bucket) return EMPTY;
    if (bucket.byGram.size === 0 && bucket.unindexedUrl.length === 0) return bucket.anyUrl;
    const candidates: EventMatchable[] = [...bucket.anyUrl];
    if (lowerUrl === undefined) return candidates;
    candidates.push(...bucket.unindexedUrl);
    let seen: Set<BehavioralTrigger> | undefined;
    forEachGram(lowerUrl, (gram) => {
      const list = bucket.byGram.get(gram);
      if (!list) return;
      seen ??= new Set();
      for (const trigger of list) {
        if (seen.has(trigger)) continue;
        seen.add(trigger);
        candidates.push(trigger);
      }
    });
    return candidates;
  }

  webhookCandidates(workspaceId: string, hookId: string): readonly WebhookTrigger[] {
    return this.webhooks.get(scoped(workspaceId, hookId)) ?? EMPTY;
  }

  predictiveCandidates(workspaceId: string, model: string): readonly PredictiveTrigger[] {
    return this.predictive.get(scoped(workspaceId, model)) ?? EMPTY;
  }

  /** Goal / exit conditions that an event of `name` may satisfy. */
  endConditionsForEvent(
    workspaceId: string,
    name: string,
  ): ReadonlyArray<{ workflow: CompiledWorkflow; condition: EndCondition }> {
    const named = this.endByEvent.get(scoped(workspaceId, name));
    const any = this.endOnAnyEvent.get(workspaceId);
    if (!any) return named ?? EMPTY;
    return named ? [...named, ...any] : any;
  }

  /** Goal / exit conditions over the contact alone, checked when the contact changes. */
  endConditionsForContact(workspaceId: string): ReadonlyArray<{ workflow: CompiledWorkflow; condition: EndCondition }> {
    return this.endOnContact.get(workspaceId) ?? EMPTY;
  }

  timeBasedTriggers(workspaceId: string): ReadonlyArray<CronTrigger | DatePropertyTrigger> {
    return this.timeBased.get(workspaceId) ?? EMPTY;
  }

  private bucket(workspaceId: string, name: string): EventBucket {
    const key = scoped(workspaceId, name);
    let bucket = this.events.get(key);
    if (!bucket) {
      bucket = new EventBucket();
      this.events.set(key, bucket);
    }
    return bucket;
  }

  private removeFromList<T extends { workflow: CompiledWorkflow }>(
    map: Map<string, T[]>,
    key: string,
    workflowId: string,
  ): void {
    const list = map.get(key);
    if (!list) return;
    removeWhere(list, workflowId);
    if (list.length === 0) map.delete(key);
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

export type { CompiledTrigger };
