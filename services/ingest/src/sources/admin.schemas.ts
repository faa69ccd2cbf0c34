import { z } from "zod";

/** The same rule as CASCADE_WORKSPACE. */
export const workspaceIdParam = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be lower-case letters, digits, _ and -, at most 63");

export const createSourceBody = z.object({
  name: z.string().trim().min(1).max(200),
  /** Messages per second for this source's write key (burst: twice that); default INGEST_RATE_LIMIT_PER_SECOND. */
  rateLimitPerSecond: z.number().int().positive().max(1_000_000).optional(),
});

export const createAdminKeyBody = z.object({ name: z.string().trim().min(1).max(200) });
