import type { SourcePosition } from "../expression/ast.js";

/** Every kind of problem the validator reports. */
export const PROBLEM_CODES = [
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
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface DefinitionProblem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** Where in the definition JSON, e.g. `nodes[3].config.expression` or `settings.goal`. */
  readonly path?: string;
  /** For expression problems: where in the expression text. */
  readonly position?: SourcePosition;
}

/** Formats a zod issue path (`["cases", 0, "id"]`) as `cases[0].id`. */
export function formatPath(segments: readonly PropertyKey[], prefix = ""): string {
  let path = prefix;
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else path += path === "" ? String(segment) : `.${String(segment)}`;
  }
  return path;
}
