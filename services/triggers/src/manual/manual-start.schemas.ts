import { z } from "zod";

const payloadSchema = z.record(z.string(), z.unknown()).optional();
const requestIdSchema = z.string().min(1).max(200).optional();

/**
 * Body of POST /api/workflows/:workflowId/start: one contact, or every projected contact matching a filter.
 * `requestId` makes a retried request start nothing twice; `payload` becomes StartRun.trigger_payload.
 */
export const manualStartBodySchema = z.union([
  z
    .object({ contactId: z.string().min(1, "must not be empty"), payload: payloadSchema, requestId: requestIdSchema })
    .strict(),
  z
    .object({ filter: z.string().min(1, "must not be empty"), payload: payloadSchema, requestId: requestIdSchema })
    .strict(),
]);

export type ManualStartBody = z.output<typeof manualStartBodySchema>;
