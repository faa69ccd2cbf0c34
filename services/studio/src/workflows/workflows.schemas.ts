import { z } from "zod";

const workflowId = z
  .string()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[a-z0-9_-]+$/, "use lower-case letters, digits, '_' or '-'");

/** A definition as JSON: an object (its shape is checked by libs/workflow, not here). */
const definitionJson = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 1_000_000, "must be at most 1 MB of JSON");

export const createWorkflowBody = z.object({
  workflowId: workflowId.optional(),
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
  description: z.string().max(2000, "must be at most 2000 characters").optional(),
  definition: definitionJson.optional(),
});

export const instantiateTemplateBody = createWorkflowBody.omit({ definition: true });

export const saveDraftBody = z.object({
  definition: definitionJson,
  /** The draft revision the editor loaded; omit to overwrite unconditionally. */
  revision: z.number().int().positive().optional(),
});

export const validateBody = z.object({ definition: definitionJson.optional() });

export const publishBody = z.object({ note: z.string().max(500, "must be at most 500 characters").optional() });

export const rollbackBody = z.object({
  version: z.number({ message: "must be a version number" }).int().positive("must be a version number"),
  note: z.string().max(500, "must be at most 500 characters").optional(),
});

export const versionParam = z.coerce
  .number({ message: "must be a version number" })
  .int()
  .positive("must be a version number");

export const diffQuery = z.object({
  from: z.union([z.literal("draft"), versionParam], { message: "must be a version number or 'draft'" }),
  to: z.union([z.literal("draft"), versionParam], { message: "must be a version number or 'draft'" }).default("draft"),
});

const jsonObject = z.record(z.string(), z.unknown());

export const manualStartBody = z
  .object({
    contactIds: z
      .array(z.string().trim().min(1, "must not be empty").max(200))
      .min(1, "name at least one contact")
      .max(1000, "at most 1000 contacts; use a filter for more")
      .optional(),
    filter: z.string().trim().min(1, "must not be empty").max(2000).optional(),
    version: z.number().int().positive().optional(),
    payload: jsonObject.optional(),
  })
  .refine((body) => (body.contactIds === undefined) !== (body.filter === undefined), {
    message: "give exactly one of contactIds or filter",
    path: ["contactIds"],
  });

export const runsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(["running", "waiting", "completed", "failed", "cancelled", "exited"]).optional(),
});

export const statsQuery = z.object({
  /** A version number, or omitted for every version summed per node. */
  version: versionParam.optional(),
  access_token: z.string().optional(),
});
