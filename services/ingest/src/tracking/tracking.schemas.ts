import { z } from "zod";

/**
 * Request bodies of the Segment HTTP Tracking API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/).
 * A message names its contact by userId or anonymousId; at least one is required.
 */
const json = z.record(z.string(), z.unknown());
const common = z.object({
  userId: z.string().min(1).max(256).optional(),
  anonymousId: z.string().min(1).max(256).optional(),
  messageId: z.string().min(1).max(256).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  sentAt: z.iso.datetime({ offset: true }).optional(),
  context: json.optional(),
  writeKey: z.string().optional(),
});
const hasContact = (body: { userId?: string; anonymousId?: string }): boolean =>
  body.userId !== undefined || body.anonymousId !== undefined;
const contactRequired = { message: "userId or anonymousId is required", path: ["userId"] };

export const trackBody = common
  .extend({ event: z.string().min(1).max(256), properties: json.optional() })
  .refine(hasContact, contactRequired);
export const identifyBody = common.extend({ traits: json.optional() }).refine(hasContact, contactRequired);
export const pageBody = common
  .extend({ name: z.string().max(256).optional(), category: z.string().max(256).optional(), properties: json.optional() })
  .refine(hasContact, contactRequired);

export type TrackBody = z.output<typeof trackBody>;
export type IdentifyBody = z.output<typeof identifyBody>;
export type PageBody = z.output<typeof pageBody>;
