import { leadQualificationV1 } from "@cascade/workflow";
import { describe, expect, it } from "vitest";
import { diffDefinitions } from "./definition-diff.js";

const base = structuredClone(leadQualificationV1) as unknown as {
  nodes: Array<Record<string, unknown>>;
  edges: Array<Record<string, unknown>>;
  settings: Record<string, unknown>;
};

describe("diffDefinitions", () => {
  it("finds nothing between a definition and its copy", () => {
    const diff = diffDefinitions(base, structuredClone(base));
    expect(diff.identical).toBe(true);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [], moved: [] });
  });

  it("reports added, removed, changed and moved nodes, edges and settings", () => {
    const after = structuredClone(base);
    after.nodes = after.nodes.filter((node) => node.id !== "crm_qualified");
    after.nodes.push({ id: "wait", kind: "delay", config: { duration: "1d" } });
    const condition = after.nodes.find((node) => node.id === "is_qualified")!;
    condition.config = { expression: "score >= 70" };
    const trigger = after.nodes.find((node) => node.id === "trigger")!;
    trigger.position = { x: 999, y: 1 };
    after.edges = after.edges.filter((edge) => edge.source !== "mark_qualified");
    after.edges.push({ id: "mark->wait", source: "mark_qualified", target: "wait" });
    after.settings = { ...after.settings, reentry: { policy: "once" } };

    const diff = diffDefinitions(base, after);
    expect(diff.identical).toBe(false);
    expect(diff.nodes.added).toEqual(["wait"]);
    expect(diff.nodes.removed).toEqual(["crm_qualified"]);
    expect(diff.nodes.moved).toEqual(["trigger"]);
    expect(diff.nodes.changed).toEqual([
      {
        id: "is_qualified",
        changes: [
          {
            path: "config.expression",
            before: "score >= 50 and coalesce(contact.traits.lead_status, '') != 'qualified'",
            after: "score >= 70",
          },
        ],
      },
    ]);
    expect(diff.edges.added).toEqual(["mark->wait"]);
    expect(diff.edges.removed).toHaveLength(1);
    expect(diff.settings).toEqual([{ path: "settings.reentry.policy", before: "always", after: "once" }]);
  });

  it("treats an edge re-pointed under the same id as removed and added", () => {
    const after = structuredClone(base);
    after.edges[0] = { ...after.edges[0], target: "done" };
    const diff = diffDefinitions(base, after);
    expect(diff.edges.added).toEqual([after.edges[0]!.id]);
    expect(diff.edges.removed).toEqual([base.edges[0]!.id]);
  });

  it("copes with definitions that are not objects", () => {
    expect(diffDefinitions(null, base).nodes.added).toHaveLength(base.nodes.length);
  });
});
