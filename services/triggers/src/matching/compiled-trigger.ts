import type { ExpressionNode } from "@cascade/workflow";

/** A checked expression ready to evaluate, with the facts that decide what it needs. */
export interface CompiledExpression {
  readonly source: string;
  readonly ast: ExpressionNode;
  /** Reads `contact.*` (or a shorthand): the contact projection must be loaded to evaluate it. */
  readonly readsContact: boolean;
  /** Reads `event.*`: only meaningful when an event is at hand. */
  readonly readsEvent: boolean;
}

/** At most `max` starts per contact by one trigger within `withinMs`. */
export interface FrequencyLimit {
  readonly max: number;
  readonly withinMs: number;
}

/** One counting requirement of a behavioural trigger: at least `min` qualifying events within `withinMs`. */
export interface CountWindow {
  readonly min: number;
  readonly withinMs: number;
}

interface TriggerBase {
  /** `<workflowId>/<nodeId>`: unique within the workspace; the key of windows, limits and schedules. */
  readonly key: string;
  readonly nodeId: string;
  readonly workflow: CompiledWorkflow;
  readonly filter?: CompiledExpression;
  readonly frequencyLimit?: FrequencyLimit;
}

export interface EventTrigger extends TriggerBase {
  readonly kind: "event";
  readonly eventName: string;
}

export interface BehavioralTrigger extends TriggerBase {
  readonly kind: "behavioral";
  readonly eventNames: readonly string[];
  /** Lower-cased globs over the page URL; empty means any URL (or none). */
  readonly urlPatterns: readonly string[];
  /** Empty: every qualifying event fires. */
  readonly windows: readonly CountWindow[];
  readonly minTimeOnPageMs?: number;
}

export interface WebhookTrigger extends TriggerBase {
  readonly kind: "webhook";
  readonly hookId: string;
}

export interface PredictiveTrigger extends TriggerBase {
  readonly kind: "predictive";
  readonly model: string;
  readonly threshold: number;
  readonly direction: "above" | "below";
}

export interface CronTrigger extends TriggerBase {
  readonly kind: "cron";
  readonly cron: string;
  readonly timezone: string;
  readonly audience?: CompiledExpression;
}

export interface DatePropertyTrigger extends TriggerBase {
  readonly kind: "date_property";
  /** Path segments from the context root, e.g. ["contact", "traits", "product_launch_date"]. */
  readonly property: readonly string[];
  readonly offsetMs: number;
  /** Local wall-clock time `HH:MM` to fire at, in the contact's time zone (else fallbackTimezone). */
  readonly at?: string;
  readonly fallbackTimezone: string;
  readonly audience?: CompiledExpression;
}

export interface ManualTrigger extends TriggerBase {
  readonly kind: "manual";
}

export type CompiledTrigger =
  | EventTrigger
  | BehavioralTrigger
  | WebhookTrigger
  | PredictiveTrigger
  | CronTrigger
  | DatePropertyTrigger
  | ManualTrigger;

/** A goal or exit condition of a workflow, evaluated on events (or on contact changes when it reads no event). */
export interface EndCondition {
  readonly reason: "goal_reached" | "exit_condition";
  readonly expression: CompiledExpression;
  /** The event names it can be true for; undefined = any event (or, when it reads no event, contact changes). */
  readonly eventNames?: ReadonlySet<string>;
}

/** The published version of one workflow, as the triggers service needs it. */
export interface CompiledWorkflow {
  readonly workspaceId: string;
  readonly workflowId: string;
  readonly version: number;
  readonly triggers: readonly CompiledTrigger[];
  /** A contact matching any of these is not started. */
  readonly exclusions: readonly CompiledExpression[];
  readonly endConditions: readonly EndCondition[];
}
