/**
 * The persistent state of one run, as the engine reads and writes it. Stored as JSON in
 * orchestrator.runs.state; everything here must stay JSON-serialisable.
 */

export type RunStatusName = "running" | "waiting" | "completed" | "failed" | "cancelled" | "exited";

export const ACTIVE_STATUSES: readonly RunStatusName[] = ["running", "waiting"];

/** A parallel_execution a token descends from; merges join the tokens of one instance. */
export interface ParallelFrame {
  readonly parallelNodeId: string;
  /** Unique per execution of the parallel node within the run. */
  readonly instance: string;
}

/** Why a token is parked. */
export type TokenWait =
  | { readonly kind: "delay"; readonly resumeAt: string }
  | { readonly kind: "event"; readonly event: string; readonly timeoutAt: string }
  /** An email / SMS node waiting for the contact's address to reach the projection (addressGraceMs). */
  | { readonly kind: "address"; readonly timeoutAt: string }
  /** A channel node waiting for its message's outcome (config.waitForOutcome). */
  | { readonly kind: "outcome"; readonly idempotencyKey: string; readonly timeoutAt: string }
  /** External work (HTTP, CRM, database) done by the task worker; `attempt` counts from 1. */
  | { readonly kind: "task"; readonly attempt: number }
  /** Parked at a merge node until the other branches arrive. */
  | { readonly kind: "merge"; readonly mergeKey: string };

/** An execution pointer: one per concurrently running branch. */
export interface Token {
  readonly id: string;
  readonly nodeId: string;
  /** When the token entered its current node (ISO-8601). */
  readonly enteredAt: string;
  readonly parallel: readonly ParallelFrame[];
  /** Loop node id → current iteration, for the loops this token is inside. */
  readonly loops: Readonly<Record<string, number>>;
  readonly wait?: TokenWait;
}

/** What the run itself changed on the contact; applied on top of the projection so later nodes see it. */
export interface ContactPatch {
  readonly traits: Readonly<Record<string, unknown>>;
  readonly lead_score?: number;
  readonly engagement_score?: number;
}

export interface MergeState {
  /** Branch tokens that have arrived. */
  readonly arrived: number;
  readonly done: boolean;
}

export interface LoopState {
  readonly items: readonly unknown[];
}

export interface RunState {
  readonly tokens: readonly Token[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly contactPatch: ContactPatch;
  readonly merges: Readonly<Record<string, MergeState>>;
  readonly loops: Readonly<Record<string, LoopState>>;
  /** The event that triggered the run (the expression root `event`), when any. */
  readonly triggerEvent: Readonly<Record<string, unknown>> | null;
  readonly triggerPayload: Readonly<Record<string, unknown>>;
  readonly nextTokenSeq: number;
}

export function emptyRunState(
  triggerPayload: Readonly<Record<string, unknown>>,
  triggerEvent: Readonly<Record<string, unknown>> | null,
): RunState {
  return {
    tokens: [],
    vars: {},
    contactPatch: { traits: {} },
    merges: {},
    loops: {},
    triggerEvent,
    triggerPayload,
    nextTokenSeq: 1,
  };
}

/** The contact as the orchestrator knows it (projection of profiles.changes.v1), expression-ready. */
export interface ContactView {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly timezone: string | null;
  readonly locale: string | null;
  readonly created_at: string | null;
  readonly lead_score: number | null;
  readonly engagement_score: number | null;
  readonly tags: readonly string[];
  readonly consent: Readonly<Record<string, boolean>>;
  readonly traits: Readonly<Record<string, unknown>>;
}

export function unknownContact(id: string): ContactView {
  return {
    id,
    email: null,
    phone: null,
    timezone: null,
    locale: null,
    created_at: null,
    lead_score: null,
    engagement_score: null,
    tags: [],
    consent: {},
    traits: {},
  };
}

/** The projection with the run's own updates on top. */
export function contactWithPatch(contact: ContactView, patch: ContactPatch): ContactView {
  const traits = { ...contact.traits, ...patch.traits };
  return {
    ...contact,
    traits,
    email: typeof traits.email === "string" ? traits.email : contact.email,
    phone: typeof traits.phone === "string" ? traits.phone : contact.phone,
    timezone: typeof traits.timezone === "string" ? traits.timezone : contact.timezone,
    lead_score: patch.lead_score ?? contact.lead_score,
    engagement_score: patch.engagement_score ?? contact.engagement_score,
  };
}
