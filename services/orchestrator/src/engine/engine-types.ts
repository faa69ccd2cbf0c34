import type { CompiledDefinition } from "./compiled-definition.js";
import type { ContactView, RunState, RunStatusName } from "./run-state.js";

/** Who the run is: fixed at start. */
export interface RunIdentity {
  readonly runId: string;
  readonly workspace: string;
  readonly workflowId: string;
  readonly version: number;
  readonly contactId: string;
  readonly startedAt: string;
}

/** Everything the engine reads besides the run's state; no I/O. */
export interface EngineEnvironment {
  readonly now: Date;
  readonly run: RunIdentity;
  readonly definition: CompiledDefinition;
  /** The contact projection (the run's own patch is applied on top by the engine). */
  readonly contact: ContactView;
  /** Internal recipients by team name, for notification_send. */
  readonly teams: Readonly<Record<string, readonly string[]>>;
  /**
   * How long an email / SMS node waits for the contact's address when the projection has none yet (a run
   * started by `track` right after `identify` can be ahead of profiles.changes.v1). 0 or absent: no wait.
   */
  readonly addressGraceMs?: number;
}

export type TimerKind = "delay" | "wait_timeout" | "merge_timeout" | "outcome_timeout" | "address_timeout" | "task";

/** What moves a run. */
export type RunInput =
  | { readonly type: "start"; readonly triggerNodeId?: string }
  | { readonly type: "timer"; readonly tokenId: string; readonly kind: Exclude<TimerKind, "task"> }
  /** An events.v1 event for a token waiting on it (the engine applies the wait's filter). */
  | { readonly type: "event"; readonly tokenId: string; readonly event: Readonly<Record<string, unknown>> }
  /** A ResumeRun command: wake whatever waits at nodeId. */
  | { readonly type: "resume"; readonly nodeId: string; readonly payload: Readonly<Record<string, unknown>> }
  | { readonly type: "task_succeeded"; readonly tokenId: string; readonly result: TaskResult }
  | { readonly type: "task_retry"; readonly tokenId: string; readonly error: RunErrorInfo; readonly retryAt: Date }
  | { readonly type: "task_failed"; readonly tokenId: string; readonly error: RunErrorInfo }
  /**
   * An outcomes.v1 outcome of a message this run sent (matched by idempotency key). Moves a channel node that
   * waits for its outcome; `status` is the lower-case status name (`sent`, `skipped`, `bounced_hard`, …).
   */
  | {
      readonly type: "outcome";
      readonly idempotencyKey: string;
      readonly status: string;
      readonly reason: string;
    }
  | { readonly type: "cancel"; readonly reason: string }
  /** Any event of the contact: checks the goal and the exit conditions. */
  | { readonly type: "contact_event"; readonly event: Readonly<Record<string, unknown>> }
  /** The contact projection changed: checks the exit conditions. */
  | { readonly type: "contact_changed" };

export interface TaskResult {
  /** Stored in run.vars[saveAs] when the node keeps its result. */
  readonly saveAs?: string;
  readonly value?: unknown;
  /** Contact traits the node changed (built-in CRM adapter), applied to the run's view. */
  readonly traits?: Readonly<Record<string, unknown>>;
}

export interface RunErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export type RunEventKindName =
  "run_started" | "node_entered" | "node_completed" | "node_failed" | "node_waiting" | "run_finished";

export interface RunEventSpec {
  readonly kind: RunEventKindName;
  readonly at: string;
  readonly status: RunStatusName;
  readonly nodeId?: string;
  readonly nodeKind?: string;
  readonly branch?: string;
  readonly nodeDurationMs?: number;
  readonly runDurationMs?: number;
  readonly error?: RunErrorInfo;
  readonly resumeAt?: string;
}

/** One finished node execution, for orchestrator.step_executions. */
export interface StepRecord {
  /** `<nodeId>` plus `:<iteration>` per enclosing loop; unique within the run. */
  readonly stepKey: string;
  readonly nodeId: string;
  readonly nodeKind: string;
  readonly status: "completed" | "failed";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly branch?: string;
  readonly error?: RunErrorInfo;
}

export type MessageCategoryName = "marketing" | "transactional" | "operational";

/** A message the run sends; the service turns it into a contract message in the outbox. */
export type OutgoingMessage =
  | {
      readonly type: "email";
      readonly nodeId: string;
      readonly idempotencyKey: string;
      readonly category: MessageCategoryName;
      readonly to: string;
      readonly templateId?: string;
      readonly subject?: string;
      readonly html?: string;
      readonly preheader?: string;
      readonly fromName?: string;
      readonly replyTo?: string;
      readonly variants: ReadonlyArray<{ id: string; weight: number; subject?: string; body?: string }>;
      readonly variables: Readonly<Record<string, unknown>>;
      readonly tags: readonly string[];
    }
  | {
      readonly type: "sms";
      readonly nodeId: string;
      readonly idempotencyKey: string;
      readonly to: string;
      readonly body?: string;
      readonly templateId?: string;
      readonly variables: Readonly<Record<string, unknown>>;
    }
  | {
      readonly type: "push";
      readonly nodeId: string;
      readonly idempotencyKey: string;
      readonly title: string;
      readonly body: string;
      readonly url?: string;
      readonly icon?: string;
    }
  | {
      readonly type: "social";
      readonly nodeId: string;
      readonly idempotencyKey: string;
      readonly platforms: readonly string[];
      readonly text?: string;
      readonly mediaUrls: readonly string[];
      /** Set for once-per-workflow posts: sent only by the first run that records this key. */
      readonly broadcastKey?: string;
    }
  /** data_update on contact.traits.*: an identify event on events.v1. */
  | { readonly type: "contact_traits"; readonly nodeId: string; readonly traits: Readonly<Record<string, unknown>> }
  /** scoring_update: a track event `lead_score_adjusted` / `engagement_score_adjusted` on events.v1. */
  | {
      readonly type: "score_adjusted";
      readonly nodeId: string;
      readonly score: "lead_score" | "engagement_score";
      readonly delta: number;
      readonly value: number;
      readonly operation: "add" | "set";
      readonly reason?: string;
    };

export interface TimerSpec {
  readonly tokenId: string;
  readonly nodeId: string;
  readonly kind: TimerKind;
  readonly dueAt: string;
}

export interface WaitSpec {
  readonly tokenId: string;
  readonly nodeId: string;
  /** An event name, or `outcomeWaitKey(idempotencyKey)` for a channel node waiting for its outcome. */
  readonly event: string;
}

/** The waits-table key of an email / SMS node waiting for the contact's address (profiles.changes.v1). */
export const ADDRESS_WAIT_KEY = "contact:address";

/** The waits-table key of a channel node waiting for the outcome of the message with this idempotency key. */
export function outcomeWaitKey(idempotencyKey: string): string {
  return `outcome:${idempotencyKey}`;
}

export interface AdvanceResult {
  readonly state: RunState;
  readonly status: RunStatusName;
  /** Set when this advance ended the run. */
  readonly finished?: { readonly status: RunStatusName; readonly reason: string; readonly error?: RunErrorInfo };
  /** False when the input did not apply (stale timer, filter not matched, run already over). */
  readonly changed: boolean;
  readonly runEvents: readonly RunEventSpec[];
  readonly steps: readonly StepRecord[];
  readonly messages: readonly OutgoingMessage[];
  readonly timers: readonly TimerSpec[];
  readonly waits: readonly WaitSpec[];
  /** Tokens that stopped waiting or ended: their timers and waits are deleted. */
  readonly clearedTokens: readonly string[];
}
