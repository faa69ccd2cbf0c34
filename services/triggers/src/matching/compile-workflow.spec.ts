import { describe, expect, it } from "vitest";
import { compileWorkflow } from "./compile-workflow.js";
import { eventNamesOf } from "./expression-facts.js";
import { definitionJson } from "./test-definitions.js";
import { parseExpression } from "@cascade/workflow";

const compile = (kind: string, config: Record<string, unknown>, settings?: Record<string, unknown>) =>
  compileWorkflow({
    workspaceId: "ws",
    workflowId: "wf",
    version: 3,
    definitionJson: definitionJson("wf", kind, config, { settings }),
  });

describe("compileWorkflow", () => {
  it("refuses a trigger whose filter does not parse, naming the node and field", () => {
    const result = compile("event", { event: "order", filter: "event.properties.total >= " });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).toMatch(/expression_syntax at node trigger/);
  });

  it("refuses an exclusion that does not type-check, and an invalid frequency limit", () => {
    const bad = compile("event", { event: "order" }, { exclusions: ["contact.trait.x == 1"] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]).toMatch(/settings\.exclusions\[0\]/);
    const badLimit = compile("event", { event: "order" }, { frequencyLimit: { max: 0, within: "1d" } });
    expect(badLimit.ok).toBe(false);
    if (!badLimit.ok) expect(badLimit.problems[0]).toMatch(/settings\.frequencyLimit\.max/);
  });

  it("compiles each kind with its typed config", () => {
    const behavioral = compile("behavioral", {
      events: ["page_view"],
      urlPatterns: ["*/Pricing*"],
      count: { min: 3, within: "7d" },
      visitFrequency: { visits: 2, within: "1d" },
      minTimeOnPageSeconds: 30,
    });
    expect(behavioral.ok && behavioral.workflow.triggers[0]).toMatchObject({
      kind: "behavioral",
      key: "wf/trigger",
      urlPatterns: ["*/pricing*"],
      windows: [
        { min: 3, withinMs: 7 * 86_400_000 },
        { min: 2, withinMs: 86_400_000 },
      ],
      minTimeOnPageMs: 30_000,
    });
    const dateTrigger = compile("time_based", {
      mode: "date_property",
      property: "contact.traits.signed_up_at",
      offset: "+7d",
      fallbackTimezone: "UTC",
    });
    expect(dateTrigger.ok && dateTrigger.workflow.triggers[0]).toMatchObject({
      kind: "date_property",
      property: ["contact", "traits", "signed_up_at"],
      offsetMs: 7 * 86_400_000,
    });
    const predictive = compile(
      "predictive",
      { model: "Churn", threshold: 0.7, direction: "above" },
      { frequencyLimit: { max: 1, within: "30d" } },
    );
    expect(predictive.ok && predictive.workflow.triggers[0]).toMatchObject({
      kind: "predictive",
      model: "churn",
      frequencyLimit: { max: 1, withinMs: 30 * 86_400_000 },
    });
  });
});

describe("eventNamesOf", () => {
  const names = (source: string) => {
    const parsed = parseExpression(source);
    if (!parsed.ok) throw new Error("parse");
    const result = eventNamesOf(parsed.ast);
    return result ? [...result].sort() : undefined;
  };
  it("finds the names a condition can be true for", () => {
    expect(names("event.name == 'purchase'")).toEqual(["purchase"]);
    expect(names("event.name in ['a', 'b'] and event.properties.total > 1")).toEqual(["a", "b"]);
    expect(names("event.name == 'a' or event.name == 'b'")).toEqual(["a", "b"]);
    expect(names("event.name == 'a' or score > 1")).toBeUndefined();
    expect(names("event.properties.total > 1")).toBeUndefined();
  });
});
