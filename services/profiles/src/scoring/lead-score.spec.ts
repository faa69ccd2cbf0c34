import { describe, expect, it } from "vitest";
import { DEFAULT_LEAD_SCORING_RULES, leadPointsFor, workflowAdjustmentOf } from "./lead-score.js";

describe("lead score rules", () => {
  it("gives the documented default points", () => {
    expect(leadPointsFor(DEFAULT_LEAD_SCORING_RULES, "page_view")).toBe(1);
    expect(leadPointsFor(DEFAULT_LEAD_SCORING_RULES, "email_opened")).toBe(2);
    expect(leadPointsFor(DEFAULT_LEAD_SCORING_RULES, "content_download")).toBe(10);
    expect(leadPointsFor(DEFAULT_LEAD_SCORING_RULES, "Signed Up")).toBe(0);
  });

  it("matches event names exactly and allows negative points", () => {
    const rules = [
      { event: "unsubscribed", points: -5 },
      { event: "Demo Requested", points: 25 },
    ];
    expect(leadPointsFor(rules, "unsubscribed")).toBe(-5);
    expect(leadPointsFor(rules, "demo requested")).toBe(0);
    expect(leadPointsFor(rules, "Demo Requested")).toBe(25);
  });
});

describe("workflow adjustments", () => {
  it("adds the delta of a lead_score_adjusted event and ignores anything else", () => {
    expect(workflowAdjustmentOf("lead_score_adjusted", { score: "lead_score", delta: 10, operation: "add" })).toBe(10);
    expect(workflowAdjustmentOf("lead_score_adjusted", { delta: -5 })).toBe(-5);
    expect(workflowAdjustmentOf("lead_score_adjusted", { delta: "10" })).toBe(0);
    expect(workflowAdjustmentOf("page_view", { delta: 10 })).toBe(0);
  });
});
