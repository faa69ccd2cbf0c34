import { RunEventKind, RunStatus } from "@cascade/contracts";
import { describe, expect, it } from "vitest";
import { effectsOf } from "./run-event-effects.js";

describe("effectsOf", () => {
  it("counts entered and completed nodes", () => {
    expect(
      effectsOf({ kind: RunEventKind.NODE_ENTERED, nodeId: "a", status: RunStatus.RUNNING }, undefined).counters,
    ).toEqual([{ nodeId: "a", counter: "entered", delta: 1 }]);
    expect(
      effectsOf(
        { kind: RunEventKind.NODE_COMPLETED, nodeId: "a", status: RunStatus.RUNNING },
        { waitingNodeId: null, status: "running" },
      ).counters,
    ).toEqual([{ nodeId: "a", counter: "completed", delta: 1 }]);
  });

  it("counts a run waiting in a node once, and releases it when the node completes", () => {
    const waiting = effectsOf(
      { kind: RunEventKind.NODE_WAITING, nodeId: "delay", status: RunStatus.WAITING },
      { waitingNodeId: null, status: "running" },
    );
    expect(waiting).toMatchObject({
      counters: [{ nodeId: "delay", counter: "waiting", delta: 1 }],
      waitingNodeId: "delay",
      status: "waiting",
    });
    const again = effectsOf(
      { kind: RunEventKind.NODE_WAITING, nodeId: "delay", status: RunStatus.WAITING },
      { waitingNodeId: "delay", status: "waiting" },
    );
    expect(again.counters).toEqual([]);
    const done = effectsOf(
      { kind: RunEventKind.NODE_COMPLETED, nodeId: "delay", status: RunStatus.RUNNING },
      { waitingNodeId: "delay", status: "waiting" },
    );
    expect(done.counters).toEqual([
      { nodeId: "delay", counter: "completed", delta: 1 },
      { nodeId: "delay", counter: "waiting", delta: -1 },
    ]);
    expect(done.waitingNodeId).toBeNull();
  });

  it("releases the wait of a run cancelled while waiting", () => {
    const finished = effectsOf(
      { kind: RunEventKind.RUN_FINISHED, nodeId: "", status: RunStatus.CANCELLED },
      { waitingNodeId: "wait", status: "waiting" },
    );
    expect(finished).toEqual({
      counters: [{ nodeId: "wait", counter: "waiting", delta: -1 }],
      waitingNodeId: null,
      status: "cancelled",
      finished: true,
    });
  });

  it("counts failures", () => {
    expect(
      effectsOf({ kind: RunEventKind.NODE_FAILED, nodeId: "api", status: RunStatus.FAILED }, undefined),
    ).toMatchObject({
      counters: [{ nodeId: "api", counter: "failed", delta: 1 }],
      status: "failed",
    });
  });
});
