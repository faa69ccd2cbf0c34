import { z } from "zod";

const rate = z.number().positive().max(100_000).optional();
const url = z.url({ protocol: /^https?$/ }).optional();

/**
 * What a workspace stores per provider: `settings` in clear, `secrets` encrypted at rest.
 * PUT /api/email/providers takes `{ primary: ProviderSpec, secondary?: ProviderSpec }`.
 */
export const providerSpecSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("mailgun"),
    settings: z.object({ domain: z.string().min(1), baseUrl: url, ratePerSecond: rate }),
    secrets: z.object({ apiKey: z.string().min(1) }),
  }),
  z.object({
    kind: z.literal("sendgrid"),
    settings: z.object({ baseUrl: url, ratePerSecond: rate }).default({}),
    secrets: z.object({ apiKey: z.string().min(1) }),
  }),
  z.object({
    kind: z.literal("ses"),
    settings: z.object({ region: z.string().min(1), endpoint: url, ratePerSecond: rate }),
    secrets: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }),
  }),
  z.object({
    kind: z.literal("smtp"),
    settings: z.object({ ratePerSecond: rate }).default({}),
    secrets: z.object({ url: z.string().regex(/^smtps?:\/\//, "expected smtp:// or smtps:// URL") }),
  }),
  z.object({ kind: z.literal("outbox"), settings: z.object({}).default({}), secrets: z.object({}).default({}) }),
]);

export type ProviderSpec = z.output<typeof providerSpecSchema>;

export const providerSettingsBody = z.object({ primary: providerSpecSchema, secondary: providerSpecSchema.optional() });
export type ProviderSettingsBody = z.output<typeof providerSettingsBody>;
