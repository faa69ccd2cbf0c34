import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { Channel } from "./gen/cascade/common/v1/channel_pb.js";
import { OutcomeStatus } from "./gen/cascade/outcomes/v1/outcome_pb.js";
import { newOutcome } from "./outcome.js";

describe("newOutcome", () => {
  it("ties the outcome to its request, dated when it happened, with absent workflow fields empty", () => {
    const at = new Date("2030-01-15T12:00:00Z");
    const outcome = newOutcome(
      Channel.SMS,
      { workspaceId: "ws", idempotencyKey: "run-1:sms", contactId: "ada", runId: "run-1", nodeId: null },
      at,
      { status: OutcomeStatus.SKIPPED, reason: "quiet_hours", details: { deferred_until: "later" } },
    );
    expect(outcome).toMatchObject({
      channel: Channel.SMS,
      status: OutcomeStatus.SKIPPED,
      reason: "quiet_hours",
      provider: "",
      idempotencyKey: "run-1:sms",
      contactId: "ada",
      runId: "run-1",
      nodeId: "",
      workflowId: "",
      variantId: "",
      details: { deferred_until: "later" },
    });
    expect(outcome.envelope?.workspace).toBe("ws");
    expect(timestampDate(outcome.envelope!.occurredAt!).toISOString()).toBe(at.toISOString());
  });
});
