import { z } from "zod";
import type { CompiledDefinition } from "./compiled-definition.js";

/** How often and how patiently the external work of a node (HTTP, CRM, database) is retried. */
export interface NodeRetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_NODE_RETRY: NodeRetryPolicy = { maxAttempts: 3, initialDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * A per-node override, written in the node's config as `retry: { maxAttempts, initialDelayMs, maxDelayMs }`.
 * libs/workflow does not declare the field yet (its schemas strip it from the parsed config), so it is read
 * from the raw definition JSON and checked here.
 */
const retryOverrideSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20).optional(),
    initialDelayMs: z.number().int().min(0).max(86_400_000).optional(),
    maxDelayMs: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .optional(),
  })
  .strict();

export function retryPolicyOf(
  definition: CompiledDefinition,
  nodeId: string,
  fallback = DEFAULT_NODE_RETRY,
): NodeRetryPolicy {
  const raw = definition.rawConfigs.get(nodeId);
  const retry = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>).retry : undefined;
  if (retry === undefined) return fallback;
  const parsed = retryOverrideSchema.safeParse(retry);
  if (!parsed.success) return fallback;
  const policy = { ...fallback, ...parsed.data };
  return { ...policy, maxDelayMs: Math.max(policy.maxDelayMs, policy.initialDelayMs) };
}

/** Delay before attempt `nextAttempt` (2 = first retry): initial × 2^(n-2), capped. Deterministic (no jitter). */
export function backoffMs(policy: NodeRetryPolicy, nextAttempt: number): number {
  const exponent = Math.max(0, nextAttempt - 2);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
}
