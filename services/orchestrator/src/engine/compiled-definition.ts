import {
  checkExpression,
  handlesOf,
  NEXT_HANDLE,
  type ExpressionNode,
  type WorkflowDefinition,
  type WorkflowNode,
} from "@cascade/workflow";

/**
 * A validated definition prepared for execution: nodes by id, edge targets by (source, handle) and every
 * expression parsed once. Immutable, so one instance serves every run of the version.
 */
export interface CompiledDefinition {
  readonly workflowId: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
  node(id: string): WorkflowNode;
  hasNode(id: string): boolean;
  /** Target of the edge leaving `nodeId` through `handle`, or undefined when the branch ends there. */
  target(nodeId: string, handle: string): string | undefined;
  /** Parsed expression (throws when the source did not pass validation, which the validator rules out). */
  expression(source: string): ExpressionNode;
  readonly triggerNodeIds: readonly string[];
  /** Per-node retry policy overrides read from the raw JSON (`config.retry`), see retry-policy.ts. */
  readonly rawConfigs: ReadonlyMap<string, unknown>;
}

export function compileDefinition(
  definition: WorkflowDefinition,
  version: number,
  rawNodes: ReadonlyArray<{ id?: unknown; config?: unknown }> = [],
): CompiledDefinition {
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  const edges = new Map<string, string>();
  for (const edge of definition.edges)
    edges.set(`${edge.source}\u0000${edge.sourceHandle ?? NEXT_HANDLE}`, edge.target);
  const expressions = new Map<string, ExpressionNode>();
  const rawConfigs = new Map<string, unknown>();
  for (const raw of rawNodes) if (typeof raw.id === "string") rawConfigs.set(raw.id, raw.config);
  const triggerNodeIds = definition.nodes
    .filter((node) => ["time_based", "behavioral", "event", "webhook", "manual", "predictive"].includes(node.kind))
    .map((node) => node.id);
  return {
    workflowId: definition.id,
    version,
    definition,
    rawConfigs,
    triggerNodeIds,
    node(id) {
      const node = nodes.get(id);
      if (!node) throw new Error(`workflow ${definition.id} v${version} has no node '${id}'`);
      return node;
    },
    hasNode: (id) => nodes.has(id),
    target: (nodeId, handle) => edges.get(`${nodeId}\u0000${handle}`),
    expression(source) {
      let ast = expressions.get(source);
      if (!ast) {
        const checked = checkExpression(source);
        if (!checked.ok) {
          throw new Error(
            `expression '${source}' does not compile: ${checked.errors.map((e) => e.message).join("; ")}`,
          );
        }
        ast = checked.ast;
        expressions.set(source, ast);
      }
      return ast;
    },
  };
}

/** The handles a node may leave through (for tests and checks). */
export function handlesOfNode(node: WorkflowNode): readonly string[] {
  return handlesOf(node.kind, node.config as never);
}
