import type { WorkflowEdge } from "../definition/definition.js";

/** An edge with a readable id: `source->target` (plus `:handle` for branch handles). */
export function edge(source: string, target: string, sourceHandle?: string): WorkflowEdge {
  return sourceHandle === undefined
    ? { id: `${source}->${target}`, source, target }
    : { id: `${source}:${sourceHandle}->${target}`, source, target, sourceHandle };
}

/** Edges linking the given nodes one after another through their `next` handles. */
export function chain(...nodeIds: string[]): WorkflowEdge[] {
  return nodeIds.slice(1).map((target, index) => edge(nodeIds[index] as string, target));
}

/** Handlebars that prints the first name, or a fallback when it is missing. */
export const FIRST_NAME_OR_THERE = "{{#if contact.traits.first_name}}{{contact.traits.first_name}}{{else}}there{{/if}}";

/** Lays nodes out top to bottom for the builder. */
export function column(x: number, row: number): { x: number; y: number } {
  return { x, y: row * 140 };
}
