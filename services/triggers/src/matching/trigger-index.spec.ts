import { describe, expect, it } from "vitest";
import { compileWorkflow } from "./compile-workflow.js";
import type { CompiledWorkflow } from "./compiled-trigger.js";
import { EventMatcher } from "./event-matcher.js";
import type { InboundEvent } from "./inbound-event.js";
import { definitionJson } from "./test-definitions.js";
import { TriggerIndex } from "./trigger-index.js";
import { indexGramOf } from "./url-literal.js";

const WS = "ws-1";

function compiled(
  workflowId: string,
  kind: string,
  config: Record<string, unknown>,
  settings?: Record<string, unknown>,
): CompiledWorkflow {
  const result = compileWorkflow({
    workspaceId: WS,
    workflowId,
    version: 1,
    definitionJson: definitionJson(workflowId, kind, config, { settings }),
  });
  if (!result.ok) throw new Error(result.problems.join("\n"));
  return result.workflow;
}

function event(name: string, properties: Record<string, unknown> = {}, url?: string): InboundEvent {
  return {
    messageId: "m-1",
    workspaceId: WS,
    contactId: "c-1",
    name,
    occurredAt: new Date("2025-01-01T00:00:00Z"),
    properties: properties as InboundEvent["properties"],
    context: {},
    lowerUrl: url?.toLowerCase(),
  };
}

describe("TriggerIndex", () => {
  it("returns only the triggers of the event's name, and filters decide", () => {
    const index = new TriggerIndex();
    index.upsert(compiled("signup", "event", { event: "signed_up" }));
    index.upsert(compiled("big-order", "event", { event: "order", filter: "event.properties.total >= 100" }));
    index.upsert(compiled("other-ws-order", "event", { event: "order" }));
    const matcher = new EventMatcher(index);

    const candidates = matcher.candidates(event("order", { total: 150 }));
    expect(candidates.triggers.map((t) => t.workflow.workflowId).sort()).toEqual(["big-order", "other-ws-order"]);
    expect(
      matcher
        .match(event("order", { total: 150 }), candidates.triggers, undefined)
        .map((t) => t.workflow.workflowId)
        .sort(),
    ).toEqual(["big-order", "other-ws-order"]);
    expect(
      matcher.match(event("order", { total: 50 }), candidates.triggers, undefined).map((t) => t.workflow.workflowId),
    ).toEqual(["other-ws-order"]);
    expect(matcher.candidates(event("page_view")).triggers).toHaveLength(0);
  });

  it("looks URL-pattern triggers up by a gram of the URL, so unrelated patterns are not even candidates", () => {
    const index = new TriggerIndex();
    index.upsert(compiled("pricing", "behavioral", { events: ["page_view"], urlPatterns: ["*/pricing*"] }));
    index.upsert(compiled("docs", "behavioral", { events: ["page_view"], urlPatterns: ["*/docs/*"] }));
    const matcher = new EventMatcher(index);
    const url = "https://Example.com/en/Pricing?plan=pro";
    const candidates = matcher.candidates(event("page_view", {}, url)).triggers.map((t) => t.workflow.workflowId);
    expect(candidates).toEqual(["pricing"]);
    const matched = matcher.match(
      event("page_view", {}, url),
      matcher.candidates(event("page_view", {}, url)).triggers,
      undefined,
    );
    expect(matched.map((t) => t.workflow.workflowId)).toEqual(["pricing"]);
    // No URL: URL-pattern triggers cannot match.
    expect(matcher.candidates(event("page_view")).triggers).toHaveLength(0);
  });

  it("keys a glob by a run every match contains; too-short patterns are checked for every URL", () => {
    expect(indexGramOf("*/pricing*")).toBe("cing");
    expect(indexGramOf("https://*.example.com/*")).toBe("com/");
    expect(indexGramOf("*/a/*")).toBeUndefined();
    const index = new TriggerIndex();
    index.upsert(compiled("short", "behavioral", { events: ["page_view"], urlPatterns: ["*/a/*"] }));
    expect(new EventMatcher(index).candidates(event("page_view", {}, "https://x.io/a/b")).triggers).toHaveLength(1);
  });

  it("replaces a workflow's triggers on a new version and forgets them when removed", () => {
    const index = new TriggerIndex();
    index.upsert(compiled("wf", "event", { event: "a" }));
    index.upsert(compiled("wf", "event", { event: "b" }));
    expect(index.eventCandidates(WS, "a", undefined)).toHaveLength(0);
    expect(index.eventCandidates(WS, "b", undefined)).toHaveLength(1);
    index.remove(WS, "wf");
    expect(index.eventCandidates(WS, "b", undefined)).toHaveLength(0);
    expect(index.workflowCount).toBe(0);
  });

  it("indexes goal conditions by the event names they can be true for", () => {
    const index = new TriggerIndex();
    index.upsert(
      compiled(
        "drip",
        "event",
        { event: "signed_up" },
        { goal: "event.name == 'purchase'", exitConditions: ["contact.traits.unsubscribed == true"] },
      ),
    );
    expect(index.endConditionsForEvent(WS, "purchase").map((end) => end.condition.reason)).toEqual(["goal_reached"]);
    expect(index.endConditionsForEvent(WS, "page_view")).toHaveLength(0);
    expect(index.endConditionsForContact(WS).map((end) => end.condition.reason)).toEqual(["exit_condition"]);
  });
});
