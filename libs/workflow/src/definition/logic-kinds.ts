import { z } from "zod";
import { durationSchema, expressionSchema, handleIdSchema, literalValueSchema, nodeIdSchema } from "./config-fields.js";
import { defineNodeKind, fixedHandles, NEXT_HANDLE } from "./node-kind.js";

/** Handle ids must be unique within a node. */
function uniqueIds<T extends { id: string }>(items: readonly T[]): boolean {
  return new Set(items.map((item) => item.id)).size === items.length;
}

export const DEFAULT_CASE_HANDLE = "default";

export const ifCondition = defineNodeKind({
  kind: "if_condition",
  category: "logic",
  label: "If / else",
  description: "Follows the 'true' handle when the expression is true, otherwise 'false'.",
  configSchema: z.object({ expression: expressionSchema }),
  handles: fixedHandles("true", "false"),
  expressions: (config) => [{ path: "expression", source: config.expression, expect: "boolean" }],
});

export const switchCase = defineNodeKind({
  kind: "switch_case",
  category: "logic",
  label: "Switch",
  description: "Evaluates an expression and follows the first case whose value equals it, otherwise 'default'.",
  configSchema: z.object({
    expression: expressionSchema,
    cases: z
      .array(
        z.object({
          id: handleIdSchema.refine((id) => id !== DEFAULT_CASE_HANDLE, { message: "'default' is reserved" }),
          label: z.string().optional(),
          equals: literalValueSchema,
        }),
      )
      .min(1, "add at least one case")
      .refine(uniqueIds, { message: "case ids must be unique" }),
  }),
  handles: (config) => [...config.cases.map((entry) => entry.id), DEFAULT_CASE_HANDLE],
  expressions: (config) => [{ path: "expression", source: config.expression }],
});

export const loopIterator = defineNodeKind({
  kind: "loop_iterator",
  category: "logic",
  label: "For each",
  description:
    "Runs the 'body' branch once per item of a list (item in run.vars.<itemVariable>), then follows 'done'. The body ends with an edge back to this node.",
  configSchema: z.object({
    collection: expressionSchema,
    itemVariable: handleIdSchema,
    maxIterations: z.number().int().min(1).max(1000),
  }),
  handles: fixedHandles("body", "done"),
  expressions: (config) => [{ path: "collection", source: config.collection, expect: { list: "any" } }],
});

export const parallelExecution = defineNodeKind({
  kind: "parallel_execution",
  category: "logic",
  label: "Parallel",
  description: "Starts every branch at once; a merge_branches node joins them again.",
  configSchema: z.object({
    branches: z
      .array(z.object({ id: handleIdSchema, label: z.string().optional() }))
      .min(2, "a parallel node needs at least two branches")
      .refine(uniqueIds, { message: "branch ids must be unique" }),
  }),
  handles: (config) => config.branches.map((branch) => branch.id),
});

export const mergeBranches = defineNodeKind({
  kind: "merge_branches",
  category: "logic",
  label: "Merge",
  description: "Joins the branches of a parallel node: continue when all have arrived, or when the first one arrives.",
  configSchema: z.object({
    parallelNodeId: nodeIdSchema,
    wait: z.enum(["all", "any"]),
    /** With `all`: give up waiting for the slow branches after this long and continue. */
    timeout: durationSchema.optional(),
  }),
  handles: fixedHandles(NEXT_HANDLE),
});

export const waitForEvent = defineNodeKind({
  kind: "wait_for_event",
  category: "logic",
  label: "Wait for event",
  description:
    "Waits until the contact sends a matching event ('event' handle) or the timeout passes ('timeout' handle).",
  configSchema: z.object({ event: z.string().min(1), filter: expressionSchema.optional(), timeout: durationSchema }),
  handles: fixedHandles("event", "timeout"),
  expressions: (config) =>
    config.filter === undefined ? [] : [{ path: "filter", source: config.filter, expect: "boolean" }],
});

export const abSplit = defineNodeKind({
  kind: "ab_split",
  category: "logic",
  label: "A/B split",
  description:
    "Sends each contact down one variant in proportion to the weights; the same contact always gets the same variant.",
  configSchema: z.object({
    variants: z
      .array(
        z.object({
          id: handleIdSchema,
          label: z.string().optional(),
          weight: z.number().positive("weight must be above 0"),
        }),
      )
      .min(2, "an A/B split needs at least two variants")
      .refine(uniqueIds, { message: "variant ids must be unique" }),
    /** Change to reshuffle assignments (e.g. for a new experiment on the same node). */
    salt: z.string().optional(),
  }),
  handles: (config) => config.variants.map((variant) => variant.id),
});

export const exitNode = defineNodeKind({
  kind: "exit",
  category: "logic",
  label: "Exit",
  description: "Ends the run, recording the reason.",
  configSchema: z.object({ reason: z.string().optional() }),
  handles: fixedHandles(),
});

export const LOGIC_KINDS = [
  ifCondition,
  switchCase,
  loopIterator,
  parallelExecution,
  mergeBranches,
  waitForEvent,
  abSplit,
  exitNode,
] as const;
