import type { z } from "zod";
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from "../definition/definition.js";
import { definitionHeaderSchema, edgeSchema, rawNodeSchema, settingsSchema } from "../definition/definition.js";
import type { ConfigExpression, NodeKindSpec } from "../definition/node-kind.js";
import { NEXT_HANDLE } from "../definition/node-kind.js";
import type { NodeKind } from "../definition/node-kinds.js";
import { isNodeKind, nodeKindSpec } from "../definition/node-kinds.js";
import { checkExpression } from "../expression/check.js";
import type { ExpressionScope } from "../expression/scope.js";
import { defaultScope } from "../expression/scope.js";
import { findCycles, reachableFrom } from "./graph.js";
import type { DefinitionProblem } from "./problems.js";
import { formatPath } from "./problems.js";

export interface ValidationResult {
  readonly ok: boolean;
  /** Every problem found, in definition order; empty when ok. */
  readonly problems: readonly DefinitionProblem[];
  /** The definition with configs parsed (defaults applied); present only when ok. */
  readonly definition?: WorkflowDefinition;
}

export interface ValidateOptions {
  /** Fields expressions may name; defaults to contact, event, prediction, run and the score shorthands. */
  readonly scope?: ExpressionScope;
}

interface CheckedNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly index: number;
  readonly spec: NodeKindSpec<NodeKind, z.ZodType>;
  /** Parsed config; undefined when it was invalid (handle checks are then skipped). */
  readonly config: unknown;
  readonly configValid: boolean;
  readonly raw: z.output<typeof rawNodeSchema>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks a workflow definition and reports every problem with a code, the node or edge it concerns
 * and a message: structure, unknown kinds, configs, expressions, channel content, dangling edges,
 * handles, triggers, reachability, cycles that do not pass through a loop node, and merges without
 * their parallel node. Pure and synchronous; runs in Node and in the browser.
 */
export function validateDefinition(input: unknown, options: ValidateOptions = {}): ValidationResult {
  return new DefinitionValidator(options.scope ?? defaultScope()).validate(input);
}

class DefinitionValidator {
  private readonly problems: DefinitionProblem[] = [];

  constructor(private readonly scope: ExpressionScope) {}

  validate(input: unknown): ValidationResult {
    if (!isRecord(input)) {
      return {
        ok: false,
        problems: [{ code: "invalid_definition", message: "a workflow definition must be a JSON object" }],
      };
    }
    const header = definitionHeaderSchema.safeParse(input);
    if (!header.success) {
      for (const issue of header.error.issues) {
        const path = formatPath(issue.path);
        this.problems.push({ code: "invalid_definition", path, message: `${path || "definition"}: ${issue.message}` });
      }
    }
    const settings = settingsSchema.safeParse(input["settings"]);
    if (settings.success) this.checkSettingsExpressions(settings.data);

    const rawNodes: readonly unknown[] = Array.isArray(input["nodes"]) ? input["nodes"] : [];
    const nodes = this.checkNodes(rawNodes);
    // Nodes with an id but an unknown kind or a malformed entry still exist as far as edges are concerned,
    // so their edges are not reported as dangling and what lies behind them is still reachable.
    const declaredIds = new Set(
      rawNodes.flatMap((node) => (isRecord(node) && typeof node["id"] === "string" ? [node["id"]] : [])),
    );
    const edges = this.checkEdges(Array.isArray(input["edges"]) ? input["edges"] : [], nodes, declaredIds);
    this.checkGraph(nodes, edges);

    if (this.problems.length > 0 || !header.success || !settings.success) return { ok: false, problems: this.problems };
    const definition: WorkflowDefinition = {
      id: header.data.id,
      name: header.data.name,
      ...(header.data.description === undefined ? {} : { description: header.data.description }),
      ...(header.data.version === undefined ? {} : { version: header.data.version }),
      settings: settings.data,
      nodes: [...nodes.values()].map((node) => ({ ...node.raw, kind: node.kind, config: node.config }) as WorkflowNode),
      edges,
    };
    return { ok: true, problems: [], definition };
  }

  private checkSettingsExpressions(settings: z.output<typeof settingsSchema>): void {
    settings.exitConditions?.forEach((source, index) =>
      this.checkExpressionField({ path: `settings.exitConditions[${index}]`, source, expect: "boolean" }),
    );
    if (settings.goal !== undefined)
      this.checkExpressionField({ path: "settings.goal", source: settings.goal, expect: "boolean" });
  }

  private checkNodes(rawNodes: readonly unknown[]): Map<string, CheckedNode> {
    const nodes = new Map<string, CheckedNode>();
    rawNodes.forEach((rawNode, index) => {
      const parsed = rawNodeSchema.safeParse(rawNode);
      const maybeId = isRecord(rawNode) && typeof rawNode["id"] === "string" ? rawNode["id"] : undefined;
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = formatPath(issue.path, `nodes[${index}]`);
          this.problems.push({
            code: "invalid_definition",
            nodeId: maybeId,
            path,
            message: `${path}: ${issue.message}`,
          });
        }
        return;
      }
      const raw = parsed.data;
      if (nodes.has(raw.id)) {
        this.problems.push({
          code: "duplicate_node_id",
          nodeId: raw.id,
          path: `nodes[${index}].id`,
          message: `node id '${raw.id}' is used more than once`,
        });
        return;
      }
      if (!isNodeKind(raw.kind)) {
        this.problems.push({
          code: "unknown_kind",
          nodeId: raw.id,
          path: `nodes[${index}].kind`,
          message: `node '${raw.id}' has unknown kind '${raw.kind}'`,
        });
        return;
      }
      const spec = nodeKindSpec(raw.kind);
      const config = spec.configSchema.safeParse(raw.config ?? {});
      if (!config.success) {
        const missing = raw.config === undefined ? "config is missing; " : "";
        for (const issue of config.error.issues) {
          const path = formatPath(issue.path, `nodes[${index}].config`);
          const field = issue.path.length > 0 ? `config.${formatPath(issue.path)}` : "config";
          this.problems.push({
            code: "invalid_config",
            nodeId: raw.id,
            path,
            message: `${missing}${spec.kind} node '${raw.id}' ${field}: ${issue.message}`,
          });
        }
      } else {
        for (const field of spec.expressions?.(config.data) ?? []) {
          this.checkExpressionField({ ...field, path: `nodes[${index}].config.${field.path}` }, raw.id);
        }
        const missingContent = spec.missingContent?.(config.data);
        if (missingContent !== undefined) {
          this.problems.push({
            code: "missing_content",
            nodeId: raw.id,
            path: `nodes[${index}].config`,
            message: `${spec.kind} node '${raw.id}': ${missingContent}`,
          });
        }
      }
      nodes.set(raw.id, {
        id: raw.id,
        kind: raw.kind,
        index,
        spec,
        config: config.data,
        configValid: config.success,
        raw,
      });
    });
    return nodes;
  }

  private checkExpressionField(field: ConfigExpression, nodeId?: string): void {
    const result = checkExpression(field.source, { scope: this.scope, expect: field.expect });
    if (result.ok) return;
    const code = result.ast === undefined ? "expression_syntax" : "expression_type";
    const where = nodeId === undefined ? field.path : `node '${nodeId}' ${field.path.replace(/^nodes\[\d+\]\./, "")}`;
    for (const error of result.errors) {
      const { message, ...position } = error;
      this.problems.push({ code, nodeId, path: field.path, position, message: `${where}: ${message}` });
    }
  }

  private checkEdges(
    rawEdges: readonly unknown[],
    nodes: ReadonlyMap<string, CheckedNode>,
    declaredIds: ReadonlySet<string>,
  ): WorkflowEdge[] {
    const edges: WorkflowEdge[] = [];
    const edgeIds = new Set<string>();
    const usedHandles = new Map<string, string>();
    rawEdges.forEach((rawEdge, index) => {
      const parsed = edgeSchema.safeParse(rawEdge);
      if (!parsed.success) {
        const maybeId = isRecord(rawEdge) && typeof rawEdge["id"] === "string" ? rawEdge["id"] : undefined;
        for (const issue of parsed.error.issues) {
          const path = formatPath(issue.path, `edges[${index}]`);
          this.problems.push({
            code: "invalid_definition",
            edgeId: maybeId,
            path,
            message: `${path}: ${issue.message}`,
          });
        }
        return;
      }
      const edge = parsed.data;
      const path = `edges[${index}]`;
      if (edgeIds.has(edge.id)) {
        this.problems.push({
          code: "duplicate_edge_id",
          edgeId: edge.id,
          path,
          message: `edge id '${edge.id}' is used more than once`,
        });
        return;
      }
      edgeIds.add(edge.id);
      const source = nodes.get(edge.source);
      const target = nodes.get(edge.target);
      for (const [end, node] of [
        ["source", source],
        ["target", target],
      ] as const) {
        if (!node && !declaredIds.has(edge[end])) {
          this.problems.push({
            code: "dangling_edge",
            edgeId: edge.id,
            nodeId: end === "source" ? edge.target : edge.source,
            path: `${path}.${end}`,
            message: `edge '${edge.id}' ${end} '${edge[end]}' is not a node of this workflow`,
          });
        }
      }
      if (!source || !target) {
        if (declaredIds.has(edge.source) && declaredIds.has(edge.target)) edges.push(edge);
        return;
      }
      if (target.spec.category === "trigger") {
        this.problems.push({
          code: "trigger_has_incoming",
          nodeId: target.id,
          edgeId: edge.id,
          path,
          message: `trigger '${target.id}' cannot have incoming edges (edge '${edge.id}')`,
        });
      }
      const handle = this.checkHandle(edge, source, path);
      if (handle !== undefined) {
        const key = `${source.id}\u0000${handle}`;
        const previous = usedHandles.get(key);
        if (previous !== undefined) {
          this.problems.push({
            code: "duplicate_handle_edge",
            nodeId: source.id,
            edgeId: edge.id,
            path,
            message: `handle '${handle}' of node '${source.id}' already leads to edge '${previous}'; one handle has one edge`,
          });
        } else {
          usedHandles.set(key, edge.id);
        }
      }
      edges.push(handle === undefined || edge.sourceHandle !== undefined ? edge : { ...edge, sourceHandle: handle });
    });
    return edges;
  }

  /** The effective handle of an edge, or undefined after reporting why it has none. */
  private checkHandle(edge: WorkflowEdge, source: CheckedNode, path: string): string | undefined {
    if (!source.configValid) return edge.sourceHandle;
    const handles = source.spec.handles(source.config);
    if (handles.length === 0) {
      this.problems.push({
        code: "invalid_handle",
        nodeId: source.id,
        edgeId: edge.id,
        path,
        message: `${source.kind} node '${source.id}' has no outputs, but edge '${edge.id}' leaves it`,
      });
      return undefined;
    }
    if (edge.sourceHandle === undefined) {
      if (handles.length === 1 && handles[0] === NEXT_HANDLE) return NEXT_HANDLE;
      this.problems.push({
        code: "missing_handle",
        nodeId: source.id,
        edgeId: edge.id,
        path: `${path}.sourceHandle`,
        message: `edge '${edge.id}' leaves ${source.kind} node '${source.id}' without a sourceHandle; use one of ${handles.join(", ")}`,
      });
      return undefined;
    }
    if (!handles.includes(edge.sourceHandle)) {
      this.problems.push({
        code: "invalid_handle",
        nodeId: source.id,
        edgeId: edge.id,
        path: `${path}.sourceHandle`,
        message: `edge '${edge.id}': ${source.kind} node '${source.id}' has no handle '${edge.sourceHandle}'; use one of ${handles.join(", ")}`,
      });
      return undefined;
    }
    return edge.sourceHandle;
  }

  private checkGraph(nodes: ReadonlyMap<string, CheckedNode>, edges: readonly WorkflowEdge[]): void {
    const adjacency = new Map<string, string[]>();
    for (const edge of edges) adjacency.set(edge.source, [...(adjacency.get(edge.source) ?? []), edge.target]);
    const ordered = [...nodes.values()];
    const triggers = ordered.filter((node) => node.spec.category === "trigger");

    if (triggers.length === 0) {
      this.problems.push({
        code: "missing_trigger",
        message:
          "the workflow has no trigger node; add one (event, behavioral, time_based, webhook, manual or predictive)",
      });
    } else {
      const reached = reachableFrom(
        triggers.map((node) => node.id),
        adjacency,
      );
      for (const node of ordered) {
        if (!reached.has(node.id)) {
          this.problems.push({
            code: "unreachable_node",
            nodeId: node.id,
            path: `nodes[${node.index}]`,
            message: `node '${node.id}' cannot be reached from any trigger`,
          });
        }
      }
    }

    // A cycle is fine only when it passes through a loop node: drop loop nodes and look for what remains.
    const withoutLoops = new Map<string, string[]>();
    for (const [source, targets] of adjacency) {
      if (nodes.get(source)?.kind === "loop_iterator") continue;
      withoutLoops.set(
        source,
        targets.filter((target) => nodes.get(target)?.kind !== "loop_iterator"),
      );
    }
    const nonLoopIds = ordered.filter((node) => node.kind !== "loop_iterator").map((node) => node.id);
    for (const cycle of findCycles(nonLoopIds, withoutLoops)) {
      const members = cycle.sort((a, b) => (nodes.get(a)?.index ?? 0) - (nodes.get(b)?.index ?? 0));
      const first = members[0] as string;
      this.problems.push({
        code: "cycle_without_loop",
        nodeId: first,
        message: `nodes ${members.map((id) => `'${id}'`).join(", ")} form a cycle that does not pass through a loop_iterator node`,
      });
    }

    for (const node of ordered) {
      if (node.kind !== "merge_branches" || !node.configValid) continue;
      const { parallelNodeId } = node.config as { parallelNodeId: string };
      const parallel = nodes.get(parallelNodeId);
      const path = `nodes[${node.index}].config.parallelNodeId`;
      let message: string | undefined;
      if (!parallel) message = `merge '${node.id}' refers to parallel node '${parallelNodeId}', which does not exist`;
      else if (parallel.kind !== "parallel_execution")
        message = `merge '${node.id}' refers to '${parallelNodeId}', a ${parallel.kind} node, not a parallel_execution node`;
      else if (!reachableFrom([parallel.id], adjacency).has(node.id))
        message = `merge '${node.id}' is not downstream of its parallel node '${parallelNodeId}'`;
      if (message) this.problems.push({ code: "merge_without_parallel", nodeId: node.id, path, message });
    }
  }
}
