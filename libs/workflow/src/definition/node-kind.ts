import type { z } from "zod";
import type { ExprType } from "../expression/types.js";

export type NodeCategory = "trigger" | "action" | "logic" | "integration";

/** An expression inside a node's config, for the validator to parse and type-check. */
export interface ConfigExpression {
  /** Path inside the config, e.g. `cases.1.when`. */
  readonly path: string;
  readonly source: string;
  /** Required result type; conditions must be boolean. */
  readonly expect?: ExprType;
}

/**
 * Everything the platform knows about one node kind: its config schema, how the builder presents it,
 * which source handles it has, and which config fields hold expressions or channel content.
 */
export interface NodeKindSpec<Kind extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly kind: Kind;
  readonly category: NodeCategory;
  readonly label: string;
  readonly description: string;
  readonly configSchema: Schema;
  /** Named source handles; static kinds list them, branching kinds derive them from the config. */
  readonly handles: ((config: z.output<Schema>) => readonly string[]) & { readonly staticHandles?: readonly string[] };
  readonly expressions?: (config: z.output<Schema>) => readonly ConfigExpression[];
  /** For channel nodes: a message when the config carries nothing to send, otherwise undefined. */
  readonly missingContent?: (config: z.output<Schema>) => string | undefined;
}

export const NEXT_HANDLE = "next";

/** A handles function for kinds whose handles never change. */
export function fixedHandles(...handles: string[]): NodeKindSpec["handles"] {
  const list = Object.freeze([...handles]);
  return Object.assign(() => list, { staticHandles: list });
}

export function defineNodeKind<const Kind extends string, Schema extends z.ZodType>(
  spec: NodeKindSpec<Kind, Schema>,
): NodeKindSpec<Kind, Schema> {
  return spec;
}

/** True when a text field carries something to send. */
export function hasText(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}
