import dagre from "@dagrejs/dagre";
import { describeNodeKinds, handlesOf, isNodeKind, NODE_KINDS, type NodeKindMetadata } from "@cascade/workflow";
import type { Draft, DraftEdge, DraftNode } from "./api.js";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 86;

export const kindMetadata = (kind: string): NodeKindMetadata | undefined =>
  describeNodeKinds().find((meta) => meta.kind === kind);

/** A starting config for a new node of the kind: required fields with harmless defaults where obvious. */
export function defaultConfig(kind: string): Record<string, unknown> {
  switch (kind) {
    case "event":
      return { event: "" };
    case "behavioral":
      return { events: [] };
    case "manual":
      return {};
    case "delay":
      return { mode: "duration", duration: "1d" };
    case "condition_check":
    case "if_condition":
      return { expression: "" };
    case "exit":
      return {};
    default:
      return {};
  }
}

/** Source handles of a node as drawn: fixed ones, or derived from the (parsed) config for branching kinds. */
export function sourceHandles(node: DraftNode): string[] {
  if (!isNodeKind(node.kind)) return [];
  const meta = kindMetadata(node.kind);
  if (meta && meta.handles !== "from-config") return [...meta.handles];
  const parsed = NODE_KINDS[node.kind].configSchema.safeParse(node.config ?? {});
  if (!parsed.success) return [];
  return [...handlesOf(node.kind, parsed.data as never)];
}

export function uniqueNodeId(draft: Draft, kind: string): string {
  const ids = new Set(draft.nodes.map((node) => node.id));
  for (let index = 1; ; index += 1) {
    const id = `${kind}_${index}`;
    if (!ids.has(id)) return id;
  }
}

export function addNode(draft: Draft, kind: string, position: { x: number; y: number }): { draft: Draft; id: string } {
  const id = uniqueNodeId(draft, kind);
  const meta = kindMetadata(kind);
  const node: DraftNode = { id, kind, label: meta?.label ?? kind, config: defaultConfig(kind), position };
  return { draft: { ...draft, nodes: [...draft.nodes, node] }, id };
}

export function updateNode(draft: Draft, id: string, change: Partial<DraftNode>): Draft {
  return { ...draft, nodes: draft.nodes.map((node) => (node.id === id ? { ...node, ...change } : node)) };
}

export function removeElements(draft: Draft, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): Draft {
  return {
    ...draft,
    nodes: draft.nodes.filter((node) => !nodeIds.has(node.id)),
    edges: draft.edges.filter(
      (edge) => !edgeIds.has(edge.id) && !nodeIds.has(edge.source) && !nodeIds.has(edge.target),
    ),
  };
}

/** Connects two nodes; a handle that already has an edge is re-pointed (one edge per handle). */
export function connect(draft: Draft, source: string, target: string, sourceHandle: string | null | undefined): Draft {
  if (source === target) return draft;
  const handle = sourceHandle ?? undefined;
  const id = handle && handle !== "next" ? `${source}:${handle}->${target}` : `${source}->${target}`;
  const edges = draft.edges.filter(
    (edge) => !(edge.source === source && (edge.sourceHandle ?? "next") === (handle ?? "next")),
  );
  const edge: DraftEdge = { id, source, target, ...(handle && handle !== "next" ? { sourceHandle: handle } : {}) };
  return { ...draft, edges: [...edges, edge] };
}

/** Top-to-bottom layout with dagre. */
export function autoLayout(draft: Draft): Draft {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 60 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of draft.nodes) graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of draft.edges)
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return {
    ...draft,
    nodes: draft.nodes.map((node) => {
      const placed = graph.node(node.id);
      return placed
        ? { ...node, position: { x: Math.round(placed.x - NODE_WIDTH / 2), y: Math.round(placed.y - NODE_HEIGHT / 2) } }
        : node;
    }),
  };
}

/** Bounded undo / redo over drafts. */
export interface History {
  past: Draft[];
  present: Draft;
  future: Draft[];
}

export const historyOf = (draft: Draft): History => ({ past: [], present: draft, future: [] });

export function commit(history: History, next: Draft): History {
  if (next === history.present) return history;
  return { past: [...history.past.slice(-99), history.present], present: next, future: [] };
}

export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (!previous) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo(history: History): History {
  const next = history.future[0];
  if (!next) return history;
  return { past: [...history.past, history.present], present: next, future: history.future.slice(1) };
}
