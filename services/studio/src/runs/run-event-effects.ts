import { RunEventKind, RunStatus } from "@cascade/contracts";
import type { Counter } from "./run-stats.repository.js";

export interface CounterChange {
  nodeId: string;
  counter: Counter;
  delta: 1 | -1;
}

export interface RunEventEffects {
  counters: CounterChange[];
  /** The node the run waits in after the event, or null. */
  waitingNodeId: string | null;
  /** The run's status after the event, lower case (`running`, `waiting`, `completed`, …). */
  status: string;
  finished: boolean;
}

/** `RunStatus.WAITING` → `waiting`; unspecified → `fallback`. */
export function statusName(status: RunStatus, fallback: string): string {
  if (status === RunStatus.UNSPECIFIED) return fallback;
  return (RunStatus[status] ?? fallback).toLowerCase();
}

export function kindName(kind: RunEventKind): string {
  return (RunEventKind[kind] ?? "UNSPECIFIED").toLowerCase();
}

/**
 * How one workflow.runs.v1 event moves the per-node counters. entered / completed / failed only grow;
 * waiting counts runs waiting in a node right now: +1 when a run starts waiting there, -1 when that run
 * completes or fails the node, or finishes (e.g. cancelled) while waiting.
 */
export function effectsOf(
  event: { kind: RunEventKind; nodeId: string; status: RunStatus },
  previous: { waitingNodeId: string | null; status: string } | undefined,
): RunEventEffects {
  const waitingBefore = previous?.waitingNodeId ?? null;
  const releaseWait = (): CounterChange[] =>
    waitingBefore === null ? [] : [{ nodeId: waitingBefore, counter: "waiting", delta: -1 }];
  const node = event.nodeId;
  switch (event.kind) {
    case RunEventKind.RUN_STARTED:
      return {
        counters: [],
        waitingNodeId: waitingBefore,
        status: statusName(event.status, "running"),
        finished: false,
      };
    case RunEventKind.NODE_ENTERED:
      return {
        counters: node ? [{ nodeId: node, counter: "entered", delta: 1 }] : [],
        waitingNodeId: waitingBefore,
        status: statusName(event.status, "running"),
        finished: false,
      };
    case RunEventKind.NODE_WAITING:
      if (!node || waitingBefore === node)
        return { counters: [], waitingNodeId: waitingBefore, status: "waiting", finished: false };
      return {
        counters: [...releaseWait(), { nodeId: node, counter: "waiting", delta: 1 }],
        waitingNodeId: node,
        status: "waiting",
        finished: false,
      };
    case RunEventKind.NODE_COMPLETED:
    case RunEventKind.NODE_FAILED: {
      const counter: Counter = event.kind === RunEventKind.NODE_COMPLETED ? "completed" : "failed";
      const released = waitingBefore !== null && waitingBefore === node ? releaseWait() : [];
      return {
        counters: [...(node ? [{ nodeId: node, counter, delta: 1 as const }] : []), ...released],
        waitingNodeId: released.length > 0 ? null : waitingBefore,
        status: statusName(event.status, "running"),
        finished: false,
      };
    }
    case RunEventKind.RUN_FINISHED:
      return {
        counters: releaseWait(),
        waitingNodeId: null,
        status: statusName(event.status, "completed"),
        finished: true,
      };
    case RunEventKind.UNSPECIFIED:
      return { counters: [], waitingNodeId: waitingBefore, status: previous?.status ?? "running", finished: false };
  }
}
