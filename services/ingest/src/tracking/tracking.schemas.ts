import { z } from "zod";

/**
 * Messages of the Segment HTTP Tracking API (identify, track, page, screen, group, alias, batch). Optional fields
 * may also be null (some libraries send that); ids may be numbers (stringified). A message names its contact by
 * userId or anonymousId.
 */
const id = z
  .union([z.string().min(1, "must not be empty").max(256, "is longer than 256 characters"), z.number().finite()])
  .transform(String);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/, "must be an ISO 8601 date-time")
  .refine((text) => !Number.isNaN(Date.parse(text)), "must be an ISO 8601 date-time")
  .transform((text) => new Date(text));
const object = z.record(z.string(), z.unknown());
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);
const name = optional(z.string().max(256, "is longer than 256 characters"));

const common = {
  userId: optional(id),
  anonymousId: optional(id),
  messageId: optional(z.string().min(1, "must not be empty").max(256, "is longer than 256 characters")),
  timestamp: optional(isoDate),
  sentAt: optional(isoDate),
  context: optional(object),
  integrations: optional(object),
  writeKey: optional(z.string()),
};

type Contact = { userId?: string; anonymousId?: string };
const hasContact = (message: Contact): boolean => message.userId !== undefined || message.anonymousId !== undefined;
const contactRequired = { message: "userId or anonymousId is required", path: ["userId"] };

export const messageSchemas = {
  identify: z.object({ ...common, traits: optional(object) }).refine(hasContact, contactRequired),
  track: z
    .object({
      ...common,
      event: z.string().min(1, "must not be empty").max(256, "is longer than 256 characters"),
      properties: optional(object),
    })
    .refine(hasContact, contactRequired),
  page: z.object({ ...common, name, category: name, properties: optional(object) }).refine(hasContact, contactRequired),
  screen: z
    .object({ ...common, name, category: name, properties: optional(object) })
    .refine(hasContact, contactRequired),
  group: z.object({ ...common, groupId: id, traits: optional(object) }).refine(hasContact, contactRequired),
  alias: z.object({ ...common, userId: id, previousId: id }),
} as const;

export type MessageType = keyof typeof messageSchemas;
export const MESSAGE_TYPES = Object.keys(messageSchemas) as MessageType[];

/** A validated message of any type. */
export type SegmentMessage = {
  [T in MessageType]: z.output<(typeof messageSchemas)[T]> & { type: T };
}[MessageType];

/** The envelope of /v1/batch: `batch` plus fields that apply to every message lacking its own. */
export const batchEnvelope = z.object({
  batch: z.array(z.unknown()).min(1, "must hold at least one message"),
  sentAt: optional(isoDate),
  context: optional(object),
  integrations: optional(object),
  writeKey: optional(z.string()),
});
