import { z } from "zod";
import { expressionSchema, nodeIdSchema } from "./config-fields.js";
import type { NodeConfig, NodeKind } from "./node-kinds.js";

export const positionSchema = z.object({ x: z.number(), y: z.number() });

/** A node as stored, before its config is checked against its kind. */
export const rawNodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1, "kind must not be empty"),
  label: z.string().optional(),
  config: z.unknown().optional(),
  position: positionSchema.optional(),
});

export const edgeSchema = z.object({
  id: z.string().min(1, "must not be empty"),
  source: nodeIdSchema,
  target: nodeIdSchema,
  /** Which output of the source node; may be omitted for nodes with a single `next` handle. */
  sourceHandle: z.string().min(1).optional(),
});

export const reentrySchema = z
  .object({
    policy: z.enum(["once", "once_per_period", "always"]),
    periodDays: z.number().int().positive().optional(),
  })
  .refine((reentry) => reentry.policy !== "once_per_period" || reentry.periodDays !== undefined, {
    message: "once_per_period needs periodDays",
    path: ["periodDays"],
  });

export const settingsSchema = z.object({
  reentry: reentrySchema,
  /** May one contact have more than one active run of this workflow at a time? */
  allowConcurrentRuns: z.boolean().optional(),
  /** A run ends as soon as any of these becomes true. */
  exitConditions: z.array(expressionSchema).optional(),
  /** When this becomes true the run counts as converted and ends. */
  goal: expressionSchema.optional(),
});

/** Everything about a definition except its nodes' and edges' contents. */
export const definitionHeaderSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .refine((id) => [...id].every((char) => /[a-z0-9_-]/.test(char)), "use lower-case letters, digits, '_' or '-'"),
  name: z.string().min(1, "name must not be empty"),
  description: z.string().optional(),
  version: z.number().int().positive().optional(),
  settings: settingsSchema,
  nodes: z.array(z.unknown()),
  edges: z.array(z.unknown()),
});

export type Position = z.output<typeof positionSchema>;
export type WorkflowEdge = z.output<typeof edgeSchema>;
export type WorkflowSettings = z.output<typeof settingsSchema>;
export type RawWorkflowNode = z.output<typeof rawNodeSchema>;

/** A node with the typed config of its kind. */
export type WorkflowNode = {
  [K in NodeKind]: {
    readonly id: string;
    readonly kind: K;
    readonly label?: string;
    readonly config: NodeConfig<K>;
    readonly position?: Position;
  };
}[NodeKind];

/** The node type of one kind, e.g. `NodeOf<"email_send">`. */
export type NodeOf<K extends NodeKind> = Extract<WorkflowNode, { kind: K }>;

/** A validated workflow definition (see validateDefinition). */
export interface WorkflowDefinition {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly version?: number;
  readonly settings: WorkflowSettings;
  readonly nodes: readonly WorkflowNode[];
  readonly edges: readonly WorkflowEdge[];
}
