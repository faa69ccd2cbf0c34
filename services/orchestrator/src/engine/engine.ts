import {
  assignVariant,
  durationToMilliseconds,
  evaluate,
  evaluateCondition,
  NEXT_HANDLE,
  type NodeOf,
  type WorkflowNode,
} from "@cascade/workflow";
import { executeActionNode } from "./action-nodes.js";
import type {
  AdvanceResult,
  EngineEnvironment,
  OutgoingMessage,
  RunErrorInfo,
  RunEventSpec,
  RunInput,
  StepRecord,
  TaskResult,
  TimerKind,
  TimerSpec,
  WaitSpec,
} from "./engine-types.js";
import { ADDRESS_WAIT_KEY } from "./engine-types.js";
import { evaluationContext } from "./evaluation-context.js";
import { contactWithPatch, type RunState, type RunStatusName, type Token, type TokenWait } from "./run-state.js";

/** `<nodeId>` plus `:<iteration>` per enclosing loop (sorted by loop id): unique per step of a run. */
export function stepKeyOf(token: Pick<Token, "nodeId" | "loops">): string {
  const loops = Object.keys(token.loops)
    .sort()
    .map((loopId) => `:${token.loops[loopId]}`)
    .join("");
  return `${token.nodeId}${loops}`;
}

/** A run that executes more nodes than this in one advance is failed (a runaway graph, not a real journey). */
export const MAX_STEPS_PER_ADVANCE = 10_000;

/** Node kinds whose work happens outside the transaction (task worker). */
export const TASK_KINDS: ReadonlySet<string> = new Set([
  "api_call",
  "webhook_call",
  "external_api",
  "crm_update",
  "crm_create",
  "database_query",
]);

/** The outcome of executing a node synchronously. */
export type NodeOutcome =
  | { readonly type: "next"; readonly handle: string }
  | {
      readonly type: "wait";
      readonly wait: TokenWait;
      readonly timer?: TimerSpec["kind"];
      readonly dueAt?: Date;
      readonly waitEvent?: string;
    }
  | { readonly type: "exit"; readonly reason: string }
  | { readonly type: "fail"; readonly error: RunErrorInfo }
  /** The node handled the token itself (parallel, merge). */
  | { readonly type: "handled" };

/**
 * Advances one run by one input: the pure heart of the orchestrator. It never does I/O: it returns the new
 * state and everything to persist and publish (run events, step records, messages, timers, waits).
 * The caller holds the run's row lock and commits the result in one transaction.
 */
export function advance(
  state: RunState,
  status: RunStatusName,
  input: RunInput,
  env: EngineEnvironment,
): AdvanceResult {
  return new Stepper(state, status, env).apply(input);
}

/** Mutable working copy of one advance. */
export class Stepper {
  tokens: Token[];
  vars: Record<string, unknown>;
  traitsPatch: Record<string, unknown>;
  leadScore: number | undefined;
  engagementScore: number | undefined;
  merges: Record<string, { arrived: number; done: boolean }>;
  loops: Record<string, { items: readonly unknown[] }>;
  event: Readonly<Record<string, unknown>> | null;
  seq: number;
  status: RunStatusName;
  finished: AdvanceResult["finished"];
  changed = false;
  readonly runEvents: RunEventSpec[] = [];
  readonly steps: StepRecord[] = [];
  readonly messages: OutgoingMessage[] = [];
  readonly timers: TimerSpec[] = [];
  readonly waits: WaitSpec[] = [];
  readonly cleared = new Set<string>();
  /** Tokens whose address grace period ended in this advance: their node sends without waiting again. */
  private readonly addressWaitOver = new Set<string>();
  private readonly ready: string[] = [];
  private stepCount = 0;
  readonly nowIso: string;

  constructor(
    private readonly initial: RunState,
    initialStatus: RunStatusName,
    readonly env: EngineEnvironment,
  ) {
    this.tokens = [...initial.tokens];
    this.vars = { ...initial.vars };
    this.traitsPatch = { ...initial.contactPatch.traits };
    this.leadScore = initial.contactPatch.lead_score;
    this.engagementScore = initial.contactPatch.engagement_score;
    this.merges = { ...initial.merges };
    this.loops = { ...initial.loops };
    this.event = initial.triggerEvent;
    this.seq = initial.nextTokenSeq;
    this.status = initialStatus;
    this.nowIso = env.now.toISOString();
  }

  apply(input: RunInput): AdvanceResult {
    if (this.status !== "running" && this.status !== "waiting" && input.type !== "start") return this.result();
    this.changed = true;
    switch (input.type) {
      case "start":
        this.start(input.triggerNodeId);
        break;
      case "timer":
        this.onTimer(input.tokenId, input.kind);
        break;
      case "event":
        this.onEvent(input.tokenId, input.event);
        break;
      case "resume":
        this.onResume(input.nodeId, input.payload);
        break;
      case "outcome":
        this.onOutcome(input.idempotencyKey, input.status, input.reason);
        break;
      case "task_succeeded":
        this.onTaskSucceeded(input.tokenId, input.result);
        break;
      case "task_retry":
        this.onTaskRetry(input.tokenId, input.error, input.retryAt);
        break;
      case "task_failed":
        this.onTaskFailed(input.tokenId, input.error);
        break;
      case "cancel":
        this.finish("cancelled", input.reason);
        break;
      case "contact_event":
        this.event = input.event;
        if (this.goalReached()) this.finish("completed", "goal_reached");
        else if (this.exitConditionMet()) this.finish("exited", "exit_condition");
        else this.changed = false;
        break;
      case "contact_changed":
        if (this.exitConditionMet()) this.finish("exited", "exit_condition");
        else if (!this.wakeAddressWaits()) this.changed = false;
        break;
    }
    this.drain();
    return this.result();
  }

  // ---- inputs ---------------------------------------------------------------------------------------------

  private start(triggerNodeId: string | undefined): void {
    const { definition } = this.env;
    const first =
      triggerNodeId !== undefined && definition.triggerNodeIds.includes(triggerNodeId)
        ? triggerNodeId
        : definition.triggerNodeIds[0];
    if (first === undefined) {
      this.finish("failed", "no_trigger", {
        code: "NO_TRIGGER",
        message: "the definition has no trigger node",
        retryable: false,
      });
      return;
    }
    this.status = "running";
    this.emit({ kind: "run_started", status: "running" });
    if (this.exitConditionMet()) {
      this.finish("exited", "exit_condition");
      return;
    }
    this.enter(this.newToken(first, [], {}), first);
  }

  private onTimer(tokenId: string, kind: Exclude<TimerKind, "task">): void {
    const token = this.tokens.find((candidate) => candidate.id === tokenId);
    if (!token?.wait) return this.ignore();
    if (kind === "delay" && token.wait.kind === "delay") return this.complete(this.unpark(token), NEXT_HANDLE);
    if (kind === "wait_timeout" && token.wait.kind === "event") return this.complete(this.unpark(token), "timeout");
    if (kind === "merge_timeout" && token.wait.kind === "merge") return this.releaseMerge(token.wait.mergeKey, true);
    if (kind === "outcome_timeout" && token.wait.kind === "outcome")
      return this.complete(this.unpark(token), "timeout");
    if (kind === "address_timeout" && token.wait.kind === "address") return this.retryWithoutAddressWait(token);
    this.ignore();
  }

  /** A channel node waiting for its outcome takes `sent` or `not_sent`; queued and deferred keep it waiting. */
  private onOutcome(idempotencyKey: string, status: string, reason: string): void {
    const token = this.tokens.find(
      (candidate) => candidate.wait?.kind === "outcome" && candidate.wait.idempotencyKey === idempotencyKey,
    );
    const branch = outcomeBranch(status);
    if (!token || branch === undefined) return this.ignore();
    this.vars[`${token.nodeId}_outcome`] = { status, reason };
    this.complete(this.unpark(token), branch);
  }

  private onEvent(tokenId: string, event: Readonly<Record<string, unknown>>): void {
    const token = this.tokens.find((candidate) => candidate.id === tokenId);
    if (token?.wait?.kind !== "event") return this.ignore();
    const node = this.env.definition.node(token.nodeId) as NodeOf<"wait_for_event">;
    const previousEvent = this.event;
    this.event = event;
    if (node.config.filter !== undefined && !this.condition(node.config.filter)) {
      this.event = previousEvent;
      return this.ignore();
    }
    this.complete(this.unpark(token), "event");
  }

  private onResume(nodeId: string, payload: Readonly<Record<string, unknown>>): void {
    const token = this.tokens.find((candidate) => candidate.nodeId === nodeId && candidate.wait !== undefined);
    if (!token?.wait) return this.ignore();
    switch (token.wait.kind) {
      case "delay":
        return this.complete(this.unpark(token), NEXT_HANDLE);
      case "event":
        this.event = payload;
        return this.complete(this.unpark(token), "event");
      case "merge":
        return this.releaseMerge(token.wait.mergeKey, true);
      case "outcome":
        // Stop waiting for the channel's verdict: as if it had not come in time.
        return this.complete(this.unpark(token), "timeout");
      case "address":
        return this.retryWithoutAddressWait(token);
      case "task":
        return this.ignore();
    }
  }

  /** Tokens parked for an address run their node again once the projection has it; true when any woke. */
  private wakeAddressWaits(): boolean {
    const contact = this.contact();
    let woke = false;
    for (const token of [...this.tokens]) {
      if (token.wait?.kind !== "address") continue;
      const node = this.env.definition.node(token.nodeId);
      const address = node.kind === "sms_send" ? contact.phone : contact.email;
      if (!address) continue;
      this.ready.push(this.unpark(token).id);
      woke = true;
    }
    return woke;
  }

  /** The grace period is over: the node runs now, with or without an address (the channel skips it then). */
  private retryWithoutAddressWait(token: Token): void {
    this.addressWaitOver.add(token.id);
    this.ready.push(this.unpark(token).id);
  }

  /**
   * Whether an email / SMS node should park until the contact's address arrives, instead of sending to nobody:
   * only within the grace period, and once per node execution.
   */
  shouldWaitForAddress(token: Token, address: string | null): boolean {
    return !address && (this.env.addressGraceMs ?? 0) > 0 && !this.addressWaitOver.has(token.id);
  }

  /** Parks a token until the contact's address arrives or the grace period ends. */
  waitForAddress(): NodeOutcome {
    const dueAt = new Date(this.env.now.getTime() + (this.env.addressGraceMs ?? 0));
    return {
      type: "wait",
      wait: { kind: "address", timeoutAt: dueAt.toISOString() },
      timer: "address_timeout",
      dueAt,
      waitEvent: ADDRESS_WAIT_KEY,
    };
  }

  private onTaskSucceeded(tokenId: string, result: TaskResult): void {
    const token = this.tokens.find((candidate) => candidate.id === tokenId);
    if (token?.wait?.kind !== "task") return this.ignore();
    if (result.saveAs !== undefined) this.vars[result.saveAs] = result.value ?? null;
    const node = this.env.definition.node(token.nodeId);
    if (result.traits && Object.keys(result.traits).length > 0) {
      Object.assign(this.traitsPatch, result.traits);
      this.messages.push({ type: "contact_traits", nodeId: node.id, traits: result.traits });
    }
    this.complete(this.unpark(token), this.handlesOf(node).includes("success") ? "success" : NEXT_HANDLE);
  }

  private onTaskRetry(tokenId: string, error: RunErrorInfo, retryAt: Date): void {
    const token = this.tokens.find((candidate) => candidate.id === tokenId);
    if (token?.wait?.kind !== "task") return this.ignore();
    const node = this.env.definition.node(token.nodeId);
    const attempt = token.wait.attempt + 1;
    this.replaceToken({ ...token, wait: { kind: "task", attempt } });
    this.emit({
      kind: "node_failed",
      status: "waiting",
      nodeId: node.id,
      nodeKind: node.kind,
      error,
      resumeAt: retryAt.toISOString(),
    });
    this.timers.push({ tokenId, nodeId: node.id, kind: "task", dueAt: retryAt.toISOString() });
  }

  private onTaskFailed(tokenId: string, error: RunErrorInfo): void {
    const token = this.tokens.find((candidate) => candidate.id === tokenId);
    if (token?.wait?.kind !== "task") return this.ignore();
    const node = this.env.definition.node(token.nodeId);
    const unparked = this.unpark(token);
    if (this.env.definition.target(node.id, "error") !== undefined) {
      this.recordStep(unparked, node, "failed", "error", error);
      this.emit({
        kind: "node_failed",
        status: "running",
        nodeId: node.id,
        nodeKind: node.kind,
        error,
        branch: "error",
        nodeDurationMs: this.durationSince(unparked.enteredAt),
      });
      this.follow(unparked, "error");
      return;
    }
    this.recordStep(unparked, node, "failed", undefined, error);
    this.emit({
      kind: "node_failed",
      status: "failed",
      nodeId: node.id,
      nodeKind: node.kind,
      error,
      nodeDurationMs: this.durationSince(unparked.enteredAt),
    });
    this.finish("failed", `node_failed:${node.id}`, error);
  }

  private ignore(): void {
    this.changed = false;
  }

  // ---- stepping -------------------------------------------------------------------------------------------

  private drain(): void {
    while (this.ready.length > 0 && !this.finished) {
      const tokenId = this.ready.shift() as string;
      const token = this.tokens.find((candidate) => candidate.id === tokenId);
      if (!token || token.wait) continue;
      if (++this.stepCount > MAX_STEPS_PER_ADVANCE) {
        this.finish("failed", "step_limit", {
          code: "STEP_LIMIT",
          message: `more than ${MAX_STEPS_PER_ADVANCE} nodes in one step; check the loops of the workflow`,
          retryable: false,
        });
        return;
      }
      this.execute(token);
    }
    if (!this.finished && this.changed) this.settleStatus();
  }

  private settleStatus(): void {
    if (this.tokens.length === 0) {
      this.finish("completed", "completed");
      return;
    }
    this.status = this.tokens.every((token) => token.wait !== undefined) ? "waiting" : "running";
  }

  /** Moves a token onto a node and queues it. */
  private enter(token: Token, nodeId: string): void {
    const moved: Token = { ...token, nodeId, enteredAt: this.nowIso, wait: undefined };
    this.replaceToken(moved);
    const node = this.env.definition.node(nodeId);
    this.emit({ kind: "node_entered", status: "running", nodeId, nodeKind: node.kind });
    this.ready.push(moved.id);
  }

  private execute(token: Token): void {
    const node = this.env.definition.node(token.nodeId);
    if (this.exitConditionMet()) {
      this.finish("exited", "exit_condition");
      return;
    }
    const outcome = this.outcomeOf(token, node);
    switch (outcome.type) {
      case "next":
        this.complete(token, outcome.handle);
        return;
      case "wait":
        this.park(token, node, outcome);
        return;
      case "exit":
        this.recordStep(token, node, "completed");
        this.emit({
          kind: "node_completed",
          status: "exited",
          nodeId: node.id,
          nodeKind: node.kind,
          nodeDurationMs: 0,
        });
        this.finish("exited", outcome.reason);
        return;
      case "fail":
        this.recordStep(token, node, "failed", undefined, outcome.error);
        this.emit({
          kind: "node_failed",
          status: "failed",
          nodeId: node.id,
          nodeKind: node.kind,
          error: outcome.error,
        });
        this.finish("failed", `node_failed:${node.id}`, outcome.error);
        return;
      case "handled":
        return;
    }
  }

  private outcomeOf(token: Token, node: WorkflowNode): NodeOutcome {
    if (TASK_KINDS.has(node.kind) || (node.kind === "notification_send" && node.config.channel !== "email")) {
      return { type: "wait", wait: { kind: "task", attempt: 1 }, timer: "task", dueAt: this.env.now };
    }
    switch (node.kind) {
      case "time_based":
      case "behavioral":
      case "event":
      case "webhook":
      case "manual":
      case "predictive":
        return { type: "next", handle: NEXT_HANDLE };
      case "if_condition":
        return { type: "next", handle: this.condition(node.config.expression) ? "true" : "false" };
      case "condition_check":
        return this.condition(node.config.expression)
          ? { type: "next", handle: NEXT_HANDLE }
          : { type: "exit", reason: "condition_not_met" };
      case "switch_case": {
        const value = evaluate(this.env.definition.expression(node.config.expression), this.context(), {
          now: this.env.now,
        });
        const match = node.config.cases.find((entry) => entry.equals === value);
        return { type: "next", handle: match?.id ?? "default" };
      }
      case "ab_split":
        return {
          type: "next",
          handle: assignVariant(this.env.run.contactId, node.id, node.config.variants, node.config.salt ?? ""),
        };
      case "exit":
        return { type: "exit", reason: node.config.reason ?? "exit_node" };
      case "wait_for_event": {
        const dueAt = new Date(this.env.now.getTime() + durationToMilliseconds(node.config.timeout));
        return {
          type: "wait",
          wait: { kind: "event", event: node.config.event, timeoutAt: dueAt.toISOString() },
          timer: "wait_timeout",
          dueAt,
          waitEvent: node.config.event,
        };
      }
      case "parallel_execution":
        this.fork(token, node);
        return { type: "handled" };
      case "merge_branches":
        this.arriveAtMerge(token, node);
        return { type: "handled" };
      case "loop_iterator":
        this.iterate(token, node);
        return { type: "handled" };
      default:
        return executeActionNode(this, token, node);
    }
  }

  /** Completes the token's node and follows `handle`. */
  complete(token: Token, handle: string): void {
    const node = this.env.definition.node(token.nodeId);
    this.recordStep(token, node, "completed", handle === NEXT_HANDLE ? undefined : handle);
    this.emit({
      kind: "node_completed",
      status: "running",
      nodeId: node.id,
      nodeKind: node.kind,
      branch: handle === NEXT_HANDLE ? undefined : handle,
      nodeDurationMs: this.durationSince(token.enteredAt),
    });
    this.follow(token, handle);
  }

  private follow(token: Token, handle: string): void {
    const target = this.env.definition.target(token.nodeId, handle);
    if (target === undefined) {
      this.endToken(token);
      return;
    }
    this.enter(token, target);
  }

  private park(token: Token, node: WorkflowNode, outcome: Extract<NodeOutcome, { type: "wait" }>): void {
    this.replaceToken({ ...token, wait: outcome.wait });
    if (outcome.timer && outcome.dueAt) {
      this.timers.push({ tokenId: token.id, nodeId: node.id, kind: outcome.timer, dueAt: outcome.dueAt.toISOString() });
    }
    if (outcome.waitEvent !== undefined)
      this.waits.push({ tokenId: token.id, nodeId: node.id, event: outcome.waitEvent });
    if (outcome.wait.kind !== "task") {
      this.emit({
        kind: "node_waiting",
        status: "waiting",
        nodeId: node.id,
        nodeKind: node.kind,
        resumeAt: outcome.dueAt?.toISOString(),
      });
    }
  }

  private unpark(token: Token): Token {
    this.cleared.add(token.id);
    const unparked: Token = { ...token, wait: undefined };
    this.replaceToken(unparked);
    return unparked;
  }

  private endToken(token: Token): void {
    this.tokens = this.tokens.filter((candidate) => candidate.id !== token.id);
    this.cleared.add(token.id);
    this.releaseCompletedMerges();
  }

  // ---- parallel, merge, loops -----------------------------------------------------------------------------

  private fork(token: Token, node: NodeOf<"parallel_execution">): void {
    this.recordStep(token, node, "completed");
    this.emit({ kind: "node_completed", status: "running", nodeId: node.id, nodeKind: node.kind, nodeDurationMs: 0 });
    this.tokens = this.tokens.filter((candidate) => candidate.id !== token.id);
    const instance = `${node.id}#${this.seq}`;
    const frames = [...token.parallel, { parallelNodeId: node.id, instance }];
    for (const branch of node.config.branches) {
      const target = this.env.definition.target(node.id, branch.id);
      if (target === undefined) continue;
      this.enter(this.newToken(target, frames, token.loops), target);
    }
    this.releaseCompletedMerges();
  }

  private arriveAtMerge(token: Token, node: NodeOf<"merge_branches">): void {
    const frameIndex = token.parallel.map((frame) => frame.parallelNodeId).lastIndexOf(node.config.parallelNodeId);
    if (frameIndex < 0) {
      this.complete(token, NEXT_HANDLE);
      return;
    }
    const frame = token.parallel[frameIndex] as Token["parallel"][number];
    const key = `${node.id}@${frame.instance}`;
    const merge = this.merges[key] ?? { arrived: 0, done: false };
    if (merge.done) {
      // A branch arriving after an `any` merge or a merge timeout already continued.
      this.endToken(token);
      return;
    }
    this.merges[key] = { arrived: merge.arrived + 1, done: false };
    const parked: Token = { ...token, wait: { kind: "merge", mergeKey: key } };
    this.replaceToken(parked);
    if (node.config.wait === "any") {
      this.releaseMerge(key, true);
      return;
    }
    if (merge.arrived === 0 && node.config.timeout !== undefined) {
      const dueAt = new Date(this.env.now.getTime() + durationToMilliseconds(node.config.timeout));
      this.timers.push({ tokenId: token.id, nodeId: node.id, kind: "merge_timeout", dueAt: dueAt.toISOString() });
      this.emit({
        kind: "node_waiting",
        status: "waiting",
        nodeId: node.id,
        nodeKind: node.kind,
        resumeAt: dueAt.toISOString(),
      });
    }
    this.releaseCompletedMerges();
  }

  /** Releases every merge whose parallel instance has no other live branch left. */
  private releaseCompletedMerges(): void {
    for (const token of this.tokens) {
      if (token.wait?.kind !== "merge") continue;
      const key = token.wait.mergeKey;
      const instance = key.slice(key.indexOf("@") + 1);
      const othersRunning = this.tokens.some(
        (other) =>
          other.parallel.some((frame) => frame.instance === instance) &&
          !(other.wait?.kind === "merge" && other.wait.mergeKey === key),
      );
      if (!othersRunning) {
        this.releaseMerge(key, false);
        return this.releaseCompletedMerges();
      }
    }
  }

  /** Continues past the merge with one token; cancels the branches still running when `cancelOthers`. */
  private releaseMerge(key: string, cancelOthers: boolean): void {
    const instance = key.slice(key.indexOf("@") + 1);
    const mergeNodeId = key.slice(0, key.indexOf("@"));
    const parked = this.tokens.filter((token) => token.wait?.kind === "merge" && token.wait.mergeKey === key);
    const survivor = parked[0];
    if (!survivor) return;
    const remove = new Set(parked.map((token) => token.id));
    if (cancelOthers) {
      for (const token of this.tokens)
        if (token.parallel.some((frame) => frame.instance === instance)) remove.add(token.id);
    }
    for (const id of remove) this.cleared.add(id);
    this.tokens = this.tokens.filter((token) => !remove.has(token.id) || token.id === survivor.id);
    this.merges[key] = { arrived: this.merges[key]?.arrived ?? parked.length, done: true };
    const frames = survivor.parallel.slice(
      0,
      survivor.parallel.findIndex((frame) => frame.instance === instance),
    );
    const continuing: Token = { ...survivor, parallel: frames, wait: undefined, nodeId: mergeNodeId };
    this.replaceToken(continuing);
    this.complete(continuing, NEXT_HANDLE);
  }

  private iterate(token: Token, node: NodeOf<"loop_iterator">): void {
    const loopKey = `${node.id}@${token.parallel.map((frame) => frame.instance).join("/")}`;
    const previous = token.loops[node.id];
    let index: number;
    if (previous === undefined) {
      const collection = evaluate(this.env.definition.expression(node.config.collection), this.context(), {
        now: this.env.now,
      });
      const items = Array.isArray(collection) ? collection.slice(0, node.config.maxIterations) : [];
      this.loops[loopKey] = { items };
      index = 0;
    } else {
      index = previous + 1;
    }
    const items = this.loops[loopKey]?.items ?? [];
    if (index < items.length && index < node.config.maxIterations) {
      this.vars[node.config.itemVariable] = items[index] ?? null;
      const iterating: Token = { ...token, loops: { ...token.loops, [node.id]: index } };
      this.replaceToken(iterating);
      this.recordStep(iterating, node, "completed", "body");
      this.emit({
        kind: "node_completed",
        status: "running",
        nodeId: node.id,
        nodeKind: node.kind,
        branch: "body",
        nodeDurationMs: 0,
      });
      this.follow(iterating, "body");
      return;
    }
    const { [node.id]: _done, ...outer } = token.loops;
    delete this.loops[loopKey];
    const leaving: Token = { ...token, loops: outer };
    this.replaceToken(leaving);
    this.complete(leaving, "done");
  }

  // ---- helpers used by node executors ---------------------------------------------------------------------

  context(): Record<string, unknown> {
    return evaluationContext(this.env, this.contact(), this.vars, this.event, this.initial.triggerPayload);
  }

  contact() {
    return contactWithPatch(this.env.contact, {
      traits: this.traitsPatch,
      lead_score: this.leadScore,
      engagement_score: this.engagementScore,
    });
  }

  condition(source: string): boolean {
    return evaluateCondition(this.env.definition.expression(source), this.context(), { now: this.env.now });
  }

  /** `<run>:<node>` plus `:<iteration>` per enclosing loop: the idempotency key of the token's current step. */
  stepKeyOf(token: Token): string {
    return stepKeyOf(token);
  }

  idempotencyKeyOf(token: Token): string {
    return `${this.env.run.runId}:${this.stepKeyOf(token)}`;
  }

  private handlesOf(node: WorkflowNode): readonly string[] {
    return node.kind === "api_call" || node.kind === "webhook_call" || node.kind === "external_api"
      ? ["success", "error"]
      : [NEXT_HANDLE];
  }

  private goalReached(): boolean {
    const goal = this.env.definition.definition.settings.goal;
    return goal !== undefined && this.condition(goal);
  }

  private exitConditionMet(): boolean {
    return (this.env.definition.definition.settings.exitConditions ?? []).some((source) => this.condition(source));
  }

  private newToken(nodeId: string, parallel: Token["parallel"], loops: Token["loops"]): Token {
    const token: Token = { id: `t${this.seq++}`, nodeId, enteredAt: this.nowIso, parallel, loops };
    this.tokens.push(token);
    return token;
  }

  private replaceToken(token: Token): void {
    const index = this.tokens.findIndex((candidate) => candidate.id === token.id);
    if (index >= 0) this.tokens[index] = token;
    else this.tokens.push(token);
  }

  private recordStep(
    token: Token,
    node: WorkflowNode,
    status: "completed" | "failed",
    branch?: string,
    error?: RunErrorInfo,
  ): void {
    this.steps.push({
      stepKey: this.stepKeyOf(token),
      nodeId: node.id,
      nodeKind: node.kind,
      status,
      startedAt: token.enteredAt,
      finishedAt: this.nowIso,
      branch,
      error,
    });
  }

  private durationSince(iso: string): number {
    return Math.max(0, this.env.now.getTime() - Date.parse(iso));
  }

  emit(event: Omit<RunEventSpec, "at">): void {
    this.runEvents.push({ ...event, at: this.nowIso });
  }

  finish(status: RunStatusName, reason: string, error?: RunErrorInfo): void {
    if (this.finished) return;
    for (const token of this.tokens) this.cleared.add(token.id);
    this.tokens = [];
    this.status = status;
    this.finished = { status, reason, error };
    this.emit({
      kind: "run_finished",
      status,
      error,
      runDurationMs: Math.max(0, this.env.now.getTime() - Date.parse(this.env.run.startedAt)),
    });
  }

  private result(): AdvanceResult {
    const state: RunState = {
      tokens: this.tokens,
      vars: this.vars,
      contactPatch: { traits: this.traitsPatch, lead_score: this.leadScore, engagement_score: this.engagementScore },
      merges: this.merges,
      loops: this.loops,
      triggerEvent: this.event,
      triggerPayload: this.initial.triggerPayload,
      nextTokenSeq: this.seq,
    };
    return {
      state,
      status: this.status,
      finished: this.finished,
      changed: this.changed,
      runEvents: this.runEvents,
      steps: this.steps,
      messages: this.messages,
      timers: this.timers.filter((timer) => this.tokens.some((token) => token.id === timer.tokenId && token.wait)),
      waits: this.waits.filter((wait) => this.tokens.some((token) => token.id === wait.tokenId && token.wait)),
      clearedTokens: [...this.cleared],
    };
  }
}

/** Which handle an outcome status sends a waiting channel node down; undefined while the verdict is open. */
export function outcomeBranch(status: string): "sent" | "not_sent" | undefined {
  switch (status) {
    case "sent":
    case "delivered":
    case "opened":
    case "clicked":
      return "sent";
    case "skipped":
    case "failed":
    case "bounced_hard":
    case "bounced_soft":
    case "complained":
    case "unsubscribed":
      return "not_sent";
    default:
      return undefined;
  }
}
