import { z } from "zod";
import { ACTION_KINDS } from "./action-kinds.js";
import { INTEGRATION_KINDS } from "./integration-kinds.js";
import { LOGIC_KINDS } from "./logic-kinds.js";
import type { NodeCategory, NodeKindSpec } from "./node-kind.js";
import { TRIGGER_KINDS } from "./trigger-kinds.js";

const ALL_KINDS = [...TRIGGER_KINDS, ...ACTION_KINDS, ...LOGIC_KINDS, ...INTEGRATION_KINDS] as const;

type AnyKindSpec = (typeof ALL_KINDS)[number];

/** Every node kind name. */
export type NodeKind = AnyKindSpec["kind"];

type SpecOf<K extends NodeKind> = Extract<AnyKindSpec, { kind: K }>;

/** The parsed (defaults applied) config of a node kind. */
export type NodeConfig<K extends NodeKind> = z.output<SpecOf<K>["configSchema"]>;

/** The registry, keyed by kind. */
export const NODE_KINDS: { readonly [K in NodeKind]: SpecOf<K> } = Object.fromEntries(
  ALL_KINDS.map((spec) => [spec.kind, spec]),
) as { readonly [K in NodeKind]: SpecOf<K> };

export const NODE_KIND_NAMES: readonly NodeKind[] = ALL_KINDS.map((spec) => spec.kind);

export function isNodeKind(kind: string): kind is NodeKind {
  return Object.prototype.hasOwnProperty.call(NODE_KINDS, kind);
}

/** The spec of a kind, typed loosely for generic code such as the validator. */
export function nodeKindSpec(kind: NodeKind): NodeKindSpec<NodeKind, z.ZodType> {
  return NODE_KINDS[kind] as unknown as NodeKindSpec<NodeKind, z.ZodType>;
}

export function isTriggerKind(kind: NodeKind): boolean {
  return NODE_KINDS[kind].category === "trigger";
}

/** The source handles of a node with a parsed config. */
export function handlesOf<K extends NodeKind>(kind: K, config: NodeConfig<K>): readonly string[] {
  return nodeKindSpec(kind).handles(config);
}

/** What the builder needs to draw a palette entry and generate a config form. */
export interface NodeKindMetadata {
  readonly kind: NodeKind;
  readonly category: NodeCategory;
  readonly label: string;
  readonly description: string;
  /** Fixed handles, or `"from-config"` when they are derived from the config (cases, variants, branches). */
  readonly handles: readonly string[] | "from-config";
  /** JSON Schema (draft 2020-12) of the config, for form generation. Custom widgets are in `widget` keys. */
  readonly configJsonSchema: Record<string, unknown>;
  /** True for nodes that send content to a channel and must carry it. */
  readonly isChannel: boolean;
}

let metadataCache: readonly NodeKindMetadata[] | undefined;

/** Metadata for every node kind, in palette order (triggers, actions, logic, integrations). */
export function describeNodeKinds(): readonly NodeKindMetadata[] {
  metadataCache ??= ALL_KINDS.map((spec) => {
    const generic = nodeKindSpec(spec.kind);
    return {
      kind: spec.kind,
      category: spec.category,
      label: spec.label,
      description: spec.description,
      handles: generic.handles.staticHandles ?? "from-config",
      configJsonSchema: z.toJSONSchema(spec.configSchema, { io: "input", unrepresentable: "any" }) as Record<
        string,
        unknown
      >,
      isChannel: generic.missingContent !== undefined,
    };
  });
  return metadataCache;
}
