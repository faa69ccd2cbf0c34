import { describe, expect, it } from "vitest";
import type { DefinitionProblem, ProblemCode } from "./problems.js";
import { PROBLEM_CODES } from "./problems.js";
import { validateDefinition } from "./validate-definition.js";

type Json = Record<string, unknown>;

/** A small valid workflow: event → if → (email | exit). */
function baseDefinition(): { id: string; name: string; settings: Json; nodes: Json[]; edges: Json[] } {
  return {
    id: "spec_flow",
    name: "Spec flow",
    settings: { reentry: { policy: "once" } },
    nodes: [
      { id: "start", kind: "event", config: { event: "signed_up" } },
      { id: "check", kind: "if_condition", config: { expression: "score >= 50" } },
      { id: "mail", kind: "email_send", config: { subject: "Hi", body: "Hello {{contact.traits.first_name}}" } },
      { id: "end", kind: "exit", config: {} },
    ],
    edges: [
      { id: "e1", source: "start", target: "check" },
      { id: "e2", source: "check", target: "mail", sourceHandle: "true" },
      { id: "e3", source: "check", target: "end", sourceHandle: "false" },
      { id: "e4", source: "mail", target: "end" },
    ],
  };
}

function problemsOf(definition: unknown): readonly DefinitionProblem[] {
  return validateDefinition(definition).problems;
}

function only(problems: readonly DefinitionProblem[], code: ProblemCode): DefinitionProblem[] {
  return problems.filter((problem) => problem.code === code);
}

describe("validateDefinition", () => {
  it("accepts a valid definition and returns it with parsed configs", () => {
    const result = validateDefinition(baseDefinition());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.definition?.edges.find((edge) => edge.id === "e1")?.sourceHandle).toBe("next");
  });

  it("rejects input that is not an object, and reports bad header fields by path", () => {
    expect(problemsOf("nope")).toMatchObject([{ code: "invalid_definition" }]);
    const problems = problemsOf({
      ...baseDefinition(),
      name: "",
      settings: { reentry: { policy: "once_per_period" } },
    });
    expect(only(problems, "invalid_definition").map((problem) => problem.path)).toEqual([
      "name",
      "settings.reentry.periodDays",
    ]);
  });

  it("reports an unknown kind with its node id", () => {
    const definition = baseDefinition();
    definition.nodes[2] = { id: "mail", kind: "carrier_pigeon", config: {} };
    // Only the kind is reported: its edges are not dangling and the exit behind it is still reachable.
    expect(problemsOf(definition)).toMatchObject([
      { code: "unknown_kind", nodeId: "mail", message: "node 'mail' has unknown kind 'carrier_pigeon'" },
    ]);
  });

  it("reports missing and invalid config field by field", () => {
    const definition = baseDefinition();
    definition.nodes.push(
      { id: "pause", kind: "delay", config: { mode: "duration", duration: "soon" } },
      { id: "split", kind: "ab_split", config: { variants: [{ id: "a", weight: 1 }] } },
      { id: "wait", kind: "wait_for_event" },
    );
    definition.edges.push(
      { id: "e5", source: "mail", target: "pause" },
      { id: "e6", source: "pause", target: "split" },
      { id: "e7", source: "split", target: "wait", sourceHandle: "a" },
    );
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    const problems = only(problemsOf(definition), "invalid_config");
    expect(problems.find((problem) => problem.nodeId === "pause")).toMatchObject({
      path: "nodes[4].config.duration",
      message: expect.stringContaining("must be a duration such as 2d"),
    });
    expect(problems.find((problem) => problem.nodeId === "split")?.message).toContain("at least two variants");
    expect(problems.find((problem) => problem.nodeId === "wait")?.message).toContain("config is missing");
  });

  it("reports a dangling edge with the edge id", () => {
    const definition = baseDefinition();
    definition.edges.push({ id: "ghost", source: "mail", target: "nowhere" });
    expect(only(problemsOf(definition), "dangling_edge")).toMatchObject([
      { edgeId: "ghost", nodeId: "mail", message: "edge 'ghost' target 'nowhere' is not a node of this workflow" },
    ]);
  });

  it("reports unreachable nodes", () => {
    const definition = baseDefinition();
    definition.nodes.push({ id: "orphan", kind: "sms_send", config: { body: "hi" } });
    expect(only(problemsOf(definition), "unreachable_node")).toMatchObject([{ nodeId: "orphan" }]);
  });

  it("reports a cycle that does not pass through a loop node", () => {
    const definition = baseDefinition();
    definition.nodes.push({ id: "pause", kind: "delay", config: { mode: "duration", duration: "1d" } });
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push(
      { id: "e5", source: "mail", target: "pause" },
      { id: "e6", source: "pause", target: "check" },
    );
    const cycles = only(problemsOf(definition), "cycle_without_loop");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatchObject({ nodeId: "check" });
    expect(cycles[0]?.message).toContain("'check', 'mail', 'pause'");
  });

  it("accepts a cycle through a loop_iterator", () => {
    const definition = baseDefinition();
    definition.nodes.push(
      {
        id: "each",
        kind: "loop_iterator",
        config: { collection: "contact.tags", itemVariable: "tag", maxIterations: 10 },
      },
      {
        id: "note",
        kind: "data_update",
        config: { updates: [{ field: "run.vars.last_tag", set: { expression: "run.vars.tag" } }] },
      },
    );
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push(
      { id: "e5", source: "mail", target: "each" },
      { id: "e6", source: "each", target: "note", sourceHandle: "body" },
      { id: "e7", source: "note", target: "each" },
      { id: "e8", source: "each", target: "end", sourceHandle: "done" },
    );
    expect(problemsOf(definition)).toEqual([]);
  });

  it("reports a merge without its parallel node", () => {
    const definition = baseDefinition();
    definition.nodes.push(
      { id: "join", kind: "merge_branches", config: { parallelNodeId: "fork", wait: "all" } },
      { id: "join_wrong", kind: "merge_branches", config: { parallelNodeId: "check", wait: "any" } },
    );
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push(
      { id: "e5", source: "mail", target: "join" },
      { id: "e6", source: "join", target: "join_wrong" },
      { id: "e7", source: "join_wrong", target: "end" },
    );
    const problems = only(problemsOf(definition), "merge_without_parallel");
    expect(problems).toMatchObject([
      { nodeId: "join", message: "merge 'join' refers to parallel node 'fork', which does not exist" },
      { nodeId: "join_wrong", message: expect.stringContaining("a if_condition node, not a parallel_execution node") },
    ]);
  });

  it("reports a merge that is not downstream of its parallel node", () => {
    const definition = baseDefinition();
    definition.nodes.push(
      { id: "fork", kind: "parallel_execution", config: { branches: [{ id: "a" }, { id: "b" }] } },
      { id: "join", kind: "merge_branches", config: { parallelNodeId: "fork", wait: "all" } },
    );
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push(
      { id: "e5", source: "mail", target: "join" },
      { id: "e6", source: "join", target: "fork" },
      { id: "e7", source: "fork", target: "end", sourceHandle: "a" },
    );
    expect(only(problemsOf(definition), "merge_without_parallel")).toMatchObject([
      { nodeId: "join", message: "merge 'join' is not downstream of its parallel node 'fork'" },
    ]);
  });

  it("reports an expression that does not parse, with its position", () => {
    const definition = baseDefinition();
    definition.nodes[1] = { id: "check", kind: "if_condition", config: { expression: "score >= )" } };
    expect(only(problemsOf(definition), "expression_syntax")).toMatchObject([
      { nodeId: "check", path: "nodes[1].config.expression", position: { offset: 9, line: 1, column: 10 } },
    ]);
  });

  it("reports an expression naming an unknown field, or of the wrong type", () => {
    const definition = baseDefinition();
    definition.settings = { reentry: { policy: "once" }, goal: "contact.trait.plan == 'pro'" };
    definition.nodes[1] = { id: "check", kind: "if_condition", config: { expression: "engagement_score + 1" } };
    const problems = only(problemsOf(definition), "expression_type");
    expect(problems).toMatchObject([
      {
        path: "settings.goal",
        message: expect.stringContaining("unknown field 'contact.trait.plan' at 1:1; did you mean contact.traits?"),
      },
      { nodeId: "check", message: expect.stringContaining("expression must be boolean, but it is number") },
    ]);
  });

  it("reports a channel node without content", () => {
    const definition = baseDefinition();
    definition.nodes[2] = { id: "mail", kind: "email_send", config: { subject: "Only a subject" } };
    definition.nodes.push({ id: "push", kind: "web_push", config: { title: "t" } });
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push({ id: "e5", source: "mail", target: "push" }, { id: "e6", source: "push", target: "end" });
    expect(only(problemsOf(definition), "missing_content").map((problem) => problem.nodeId)).toEqual(["mail", "push"]);
  });

  it("reports a definition without a trigger", () => {
    const definition = baseDefinition();
    definition.nodes = definition.nodes.filter((node) => node.id !== "start");
    definition.edges = definition.edges.filter((edge) => edge.id !== "e1");
    const problems = problemsOf(definition);
    expect(only(problems, "missing_trigger")).toHaveLength(1);
    expect(only(problems, "unreachable_node")).toHaveLength(0);
  });

  it("reports duplicate node and edge ids", () => {
    const definition = baseDefinition();
    definition.nodes.push({ id: "mail", kind: "exit", config: {} });
    definition.edges.push({ id: "e1", source: "start", target: "check" });
    const problems = problemsOf(definition);
    expect(only(problems, "duplicate_node_id")).toMatchObject([{ nodeId: "mail", path: "nodes[4].id" }]);
    expect(only(problems, "duplicate_edge_id")).toMatchObject([{ edgeId: "e1" }]);
  });

  it("reports handle problems: missing, unknown, on exit, and two edges from one handle", () => {
    const definition = baseDefinition();
    definition.nodes.push({ id: "other", kind: "exit", config: {} });
    definition.edges = [
      { id: "e1", source: "start", target: "check" },
      { id: "e2", source: "check", target: "mail" },
      { id: "e3", source: "check", target: "end", sourceHandle: "maybe" },
      { id: "e4", source: "mail", target: "end" },
      { id: "e5", source: "mail", target: "other" },
      { id: "e6", source: "end", target: "other" },
    ];
    const problems = problemsOf(definition);
    expect(only(problems, "missing_handle")).toMatchObject([{ nodeId: "check", edgeId: "e2" }]);
    expect(only(problems, "invalid_handle")).toMatchObject([
      { nodeId: "check", edgeId: "e3", message: expect.stringContaining("use one of true, false") },
      { nodeId: "end", edgeId: "e6" },
    ]);
    expect(only(problems, "duplicate_handle_edge")).toMatchObject([{ nodeId: "mail", edgeId: "e5" }]);
  });

  it("reports edges into a trigger", () => {
    const definition = baseDefinition();
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push({ id: "back", source: "mail", target: "start" });
    expect(only(problemsOf(definition), "trigger_has_incoming")).toMatchObject([{ nodeId: "start", edgeId: "back" }]);
  });

  it("derives handles from config for switch_case, ab_split and parallel_execution", () => {
    const definition = baseDefinition();
    definition.nodes.push(
      {
        id: "route",
        kind: "switch_case",
        config: { expression: "contact.traits.industry", cases: [{ id: "saas", equals: "SaaS" }] },
      },
      {
        id: "split",
        kind: "ab_split",
        config: {
          variants: [
            { id: "a", weight: 1 },
            { id: "b", weight: 3 },
          ],
        },
      },
    );
    definition.edges = definition.edges.filter((edge) => edge.id !== "e4");
    definition.edges.push(
      { id: "e5", source: "mail", target: "route" },
      { id: "e6", source: "route", target: "split", sourceHandle: "saas" },
      { id: "e7", source: "route", target: "end", sourceHandle: "default" },
      { id: "e8", source: "split", target: "end", sourceHandle: "b" },
      { id: "e9", source: "split", target: "end", sourceHandle: "c" },
    );
    expect(problemsOf(definition)).toMatchObject([{ code: "invalid_handle", edgeId: "e9", nodeId: "split" }]);
  });

  it("gives a channel node with waitForOutcome the handles sent, not_sent and timeout instead of next", () => {
    const waiting = baseDefinition();
    waiting.nodes[2] = {
      ...waiting.nodes[2],
      config: { subject: "Hi", body: "Hello", waitForOutcome: { timeout: "1h" } },
    };
    expect(problemsOf(waiting)).toMatchObject([{ code: "missing_handle", edgeId: "e4", nodeId: "mail" }]);
    waiting.edges = waiting.edges.filter((edge) => edge.id !== "e4");
    waiting.edges.push(
      { id: "e5", source: "mail", target: "end", sourceHandle: "sent" },
      { id: "e6", source: "mail", target: "end", sourceHandle: "bounced" },
    );
    expect(problemsOf(waiting)).toMatchObject([{ code: "invalid_handle", edgeId: "e6", nodeId: "mail" }]);
    waiting.nodes[2] = {
      ...waiting.nodes[2],
      config: { subject: "Hi", body: "Hello", waitForOutcome: { timeout: "soon" } },
    };
    expect(problemsOf(waiting)).toMatchObject([{ code: "invalid_config", nodeId: "mail" }]);
  });

  it("lists every problem at once, not just the first", () => {
    const definition = baseDefinition();
    definition.nodes[1] = { id: "check", kind: "if_condition", config: { expression: "foo > 1" } };
    definition.nodes[2] = { id: "mail", kind: "email_send", config: {} };
    definition.nodes.push({ id: "lost", kind: "teleport", config: {} });
    definition.edges.push({ id: "ghost", source: "end", target: "void" });
    const codes = new Set(problemsOf(definition).map((problem) => problem.code));
    expect([...codes].sort()).toEqual(["dangling_edge", "expression_type", "missing_content", "unknown_kind"].sort());
  });

  it("has a test above for every problem code", () => {
    // Keeps this file honest when a new code is added to PROBLEM_CODES.
    const covered: ProblemCode[] = [
      "invalid_definition",
      "duplicate_node_id",
      "duplicate_edge_id",
      "unknown_kind",
      "invalid_config",
      "missing_trigger",
      "trigger_has_incoming",
      "dangling_edge",
      "missing_handle",
      "invalid_handle",
      "duplicate_handle_edge",
      "unreachable_node",
      "cycle_without_loop",
      "merge_without_parallel",
      "expression_syntax",
      "expression_type",
      "missing_content",
    ];
    expect([...covered].sort()).toEqual([...PROBLEM_CODES].sort());
  });
});
