import { z } from "zod";
import { expressionSchema, handleIdSchema, httpMethodSchema, urlSchema, valueSourceSchema } from "./config-fields.js";
import { valueSourceExpressions } from "./action-kinds.js";
import { defineNodeKind, fixedHandles, NEXT_HANDLE } from "./node-kind.js";

const crmProviderSchema = z.enum(["salesforce", "hubspot", "pipedrive", "generic"]);
const crmFieldsSchema = z
  .record(z.string().min(1), valueSourceSchema)
  .refine((fields) => Object.keys(fields).length > 0, { message: "map at least one field" });

const fieldExpressions = (fields: Readonly<Record<string, { value?: unknown; expression?: string }>>) =>
  valueSourceExpressions(Object.entries(fields).map(([name, source]) => [`fields.${name}`, source] as const));

export const crmUpdate = defineNodeKind({
  kind: "crm_update",
  category: "integration",
  label: "Update CRM record",
  description: "Updates the CRM record linked to the contact (e.g. lead_status = qualified).",
  configSchema: z.object({
    provider: crmProviderSchema,
    object: z.enum(["lead", "contact", "account", "deal"]),
    fields: crmFieldsSchema,
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => fieldExpressions(config.fields),
});

export const crmCreate = defineNodeKind({
  kind: "crm_create",
  category: "integration",
  label: "Create CRM record",
  description: "Creates a CRM record for the contact; the new record id can be kept in a run variable.",
  configSchema: z.object({
    provider: crmProviderSchema,
    object: z.enum(["lead", "contact", "account", "deal", "task"]),
    fields: crmFieldsSchema,
    saveIdAs: handleIdSchema.optional(),
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => fieldExpressions(config.fields),
});

export const databaseQuery = defineNodeKind({
  kind: "database_query",
  category: "integration",
  label: "Database query",
  description:
    "Runs a parameterised read-only query ($1, $2, ... bound to the parameter expressions) on a configured connection.",
  configSchema: z.object({
    connectionId: z.string().min(1),
    query: z.string().min(1),
    parameters: z.array(expressionSchema).optional(),
    saveResultAs: handleIdSchema,
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => (config.parameters ?? []).map((source, index) => ({ path: `parameters.${index}`, source })),
});

export const externalApi = defineNodeKind({
  kind: "external_api",
  category: "integration",
  label: "Connected app",
  description: "Calls an operation of a connected app (CMS, forum, data warehouse); branches on success or error.",
  configSchema: z.object({
    connectionId: z.string().min(1),
    operation: z.string().min(1),
    input: z.record(z.string().min(1), valueSourceSchema).optional(),
    saveResponseAs: handleIdSchema.optional(),
    /** `workflow`: call once for the whole workflow version (broadcasts such as publishing a post). */
    once: z.enum(["workflow", "contact"]),
  }),
  handles: fixedHandles("success", "error"),
  expressions: (config) =>
    valueSourceExpressions(
      Object.entries(config.input ?? {}).map(([name, source]) => [`input.${name}`, source] as const),
    ),
});

export const webhookCall = defineNodeKind({
  kind: "webhook_call",
  category: "integration",
  label: "Call webhook",
  description: "Posts a signed JSON payload to a URL; branches on success or error.",
  configSchema: z.object({
    url: urlSchema,
    method: httpMethodSchema,
    payload: z.record(z.string().min(1), valueSourceSchema).optional(),
    /** Name of the workspace secret used for the HMAC signature header. */
    signingSecretRef: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).max(60_000),
    once: z.enum(["workflow", "contact"]),
  }),
  handles: fixedHandles("success", "error"),
  expressions: (config) =>
    valueSourceExpressions(
      Object.entries(config.payload ?? {}).map(([name, source]) => [`payload.${name}`, source] as const),
    ),
});

export const INTEGRATION_KINDS = [crmUpdate, crmCreate, databaseQuery, externalApi, webhookCall] as const;
