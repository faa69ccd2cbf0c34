import { z } from "zod";
import {
  durationSchema,
  expressionSchema,
  handleIdSchema,
  httpMethodSchema,
  localTimeSchema,
  offsetSchema,
  propertyPathSchema,
  timeZoneSchema,
  urlSchema,
  valueSourceSchema,
} from "./config-fields.js";
import type { ConfigExpression } from "./node-kind.js";
import { defineNodeKind, fixedHandles, hasText, NEXT_HANDLE } from "./node-kind.js";

/** Expressions inside `{ expression }` value sources, keyed by their config path. */
export function valueSourceExpressions(
  entries: readonly (readonly [string, { value?: unknown; expression?: string }])[],
): ConfigExpression[] {
  return entries.flatMap(([path, source]) =>
    source.expression === undefined ? [] : [{ path: `${path}.expression`, source: source.expression }],
  );
}

/**
 * Optional on channel nodes: wait for the channel's outcome and branch on it instead of continuing at once.
 * `sent`: the provider accepted the message (sent or delivered); `not_sent`: skipped (opted out, suppressed,
 * capped, no address…), failed or bounced; `timeout`: no decisive outcome within `timeout` (a quiet-hours
 * deferral keeps the node waiting). The reason of a `not_sent` outcome is kept in `run.vars.<nodeId>_outcome`.
 */
export const waitForOutcomeSchema = z.object({ timeout: durationSchema });

/** The handles of a channel node: `next`, or `sent` / `not_sent` / `timeout` when it waits for its outcome. */
export const OUTCOME_HANDLES = ["sent", "not_sent", "timeout"] as const;

function channelHandles(config: { waitForOutcome?: unknown }): readonly string[] {
  return config.waitForOutcome === undefined ? [NEXT_HANDLE] : OUTCOME_HANDLES;
}

const emailVariantSchema = z.object({
  id: handleIdSchema,
  weight: z.number().positive(),
  subject: z.string().optional(),
  body: z.string().optional(),
});

export const emailSend = defineNodeKind({
  kind: "email_send",
  category: "action",
  label: "Send email",
  description:
    "Sends an email: a stored template, or a subject and body in Handlebars ({{contact.traits.first_name}}); optional weighted content variants.",
  configSchema: z.object({
    templateId: z.string().min(1).optional(),
    subject: z.string().optional(),
    preheader: z.string().optional(),
    body: z.string().optional(),
    fromName: z.string().optional(),
    replyTo: z.string().optional(),
    /** Content variants (subject-line tests); each falls back to the top-level subject/body. */
    variants: z.array(emailVariantSchema).optional(),
    waitForOutcome: waitForOutcomeSchema.optional(),
  }),
  handles: channelHandles,
  missingContent: (config) => {
    if (hasText(config.templateId)) return undefined;
    const variants = config.variants?.length
      ? config.variants
      : [{ id: "default", subject: undefined, body: undefined }];
    const incomplete = variants.find(
      (variant) => !hasText(variant.subject ?? config.subject) || !hasText(variant.body ?? config.body),
    );
    if (!incomplete) return undefined;
    return config.variants?.length
      ? `email variant '${incomplete.id}' has no subject or body and there is no templateId`
      : "email has no templateId and no subject and body";
  },
});

export const smsSend = defineNodeKind({
  kind: "sms_send",
  category: "action",
  label: "Send SMS",
  description: "Sends a text message (Handlebars body) to the contact's phone.",
  configSchema: z.object({
    templateId: z.string().min(1).optional(),
    body: z.string().optional(),
    waitForOutcome: waitForOutcomeSchema.optional(),
  }),
  handles: channelHandles,
  missingContent: (config) =>
    hasText(config.templateId) || hasText(config.body) ? undefined : "SMS has no templateId and no body",
});

export const socialPost = defineNodeKind({
  kind: "social_post",
  category: "action",
  label: "Social post",
  description:
    "Publishes a post to social networks. Posts are broadcasts: by default once per workflow version, not once per contact.",
  configSchema: z.object({
    networks: z.array(z.enum(["x", "linkedin", "facebook", "instagram"])).min(1, "pick at least one network"),
    text: z.string().optional(),
    mediaUrls: z.array(urlSchema).optional(),
    linkUrl: urlSchema.optional(),
    /** `workflow`: post once for the whole workflow version; `contact`: once per run. */
    once: z.enum(["workflow", "contact"]),
  }),
  handles: fixedHandles(NEXT_HANDLE),
  missingContent: (config) =>
    hasText(config.text) || (config.mediaUrls?.length ?? 0) > 0 ? undefined : "social post has no text and no media",
});

export const webPush = defineNodeKind({
  kind: "web_push",
  category: "action",
  label: "Web push",
  description: "Sends a browser push notification to the contact's subscribed devices.",
  configSchema: z.object({
    title: z.string().optional(),
    body: z.string().optional(),
    url: urlSchema.optional(),
    iconUrl: urlSchema.optional(),
    waitForOutcome: waitForOutcomeSchema.optional(),
  }),
  handles: channelHandles,
  missingContent: (config) =>
    hasText(config.title) && hasText(config.body) ? undefined : "web push needs a title and a body",
});

const weekdaySchema = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

export const delay = defineNodeKind({
  kind: "delay",
  category: "action",
  label: "Delay",
  description:
    "Waits for a duration, until a date property ± offset, or until a local time in the contact's time zone.",
  configSchema: z.discriminatedUnion("mode", [
    z.object({ mode: z.literal("duration"), duration: durationSchema }),
    z.object({
      mode: z.literal("until_date"),
      property: propertyPathSchema,
      offset: offsetSchema,
      /** Continue immediately when the date is missing or already past (otherwise the run exits). */
      ifPast: z.enum(["continue", "exit"]),
    }),
    z.object({
      mode: z.literal("until_local_time"),
      time: localTimeSchema,
      /** Allowed days; the next matching day at `time` is chosen. All days when absent. */
      days: z.array(weekdaySchema).min(1).optional(),
      fallbackTimezone: timeZoneSchema,
    }),
  ]),
  handles: fixedHandles(NEXT_HANDLE),
});

export const conditionCheck = defineNodeKind({
  kind: "condition_check",
  category: "action",
  label: "Check condition",
  description:
    "A gate: the run continues when the expression is true and ends here (reason condition_not_met) when it is not.",
  configSchema: z.object({ expression: expressionSchema }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) => [{ path: "expression", source: config.expression, expect: "boolean" }],
});

const writablePathSchema = propertyPathSchema.refine(
  (path) => path.startsWith("contact.traits.") || path.startsWith("run.vars."),
  { message: "can only write contact.traits.* or run.vars.*" },
);

export const dataUpdate = defineNodeKind({
  kind: "data_update",
  category: "action",
  label: "Update data",
  description: "Sets contact traits or run variables to literal or computed values.",
  configSchema: z.object({
    updates: z.array(z.object({ field: writablePathSchema, set: valueSourceSchema })).min(1, "add at least one update"),
  }),
  handles: fixedHandles(NEXT_HANDLE),
  expressions: (config) =>
    valueSourceExpressions(config.updates.map((update, index) => [`updates.${index}.set`, update.set] as const)),
});

export const scoringUpdate = defineNodeKind({
  kind: "scoring_update",
  category: "action",
  label: "Update score",
  description: "Adds to (or sets) the contact's lead or engagement score.",
  configSchema: z.object({
    score: z.enum(["lead_score", "engagement_score"]),
    operation: z.enum(["add", "set"]),
    value: z.number(),
    reason: z.string().optional(),
  }),
  handles: fixedHandles(NEXT_HANDLE),
});

export const notificationSend = defineNodeKind({
  kind: "notification_send",
  category: "action",
  label: "Notify team",
  description: "Notifies people inside the workspace (a team, users or addresses) about this contact.",
  configSchema: z
    .object({
      channel: z.enum(["email", "slack", "in_app"]),
      team: z.string().min(1).optional(),
      users: z.array(z.string().min(1)).optional(),
      emails: z.array(z.email()).optional(),
      title: z.string().optional(),
      message: z.string().optional(),
    })
    .refine(
      (config) => config.team !== undefined || (config.users?.length ?? 0) > 0 || (config.emails?.length ?? 0) > 0,
      {
        message: "name a team, users or emails to notify",
        path: ["team"],
      },
    ),
  handles: fixedHandles(NEXT_HANDLE),
  missingContent: (config) => (hasText(config.message) ? undefined : "notification has no message"),
});

export const apiCall = defineNodeKind({
  kind: "api_call",
  category: "action",
  label: "API call",
  description: "Calls an HTTP API; branches on success (2xx) or error. The response can be kept in a run variable.",
  configSchema: z.object({
    method: httpMethodSchema,
    url: urlSchema,
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    timeoutMs: z.number().int().min(100).max(60_000),
    saveResponseAs: handleIdSchema.optional(),
  }),
  handles: fixedHandles("success", "error"),
});

export const ACTION_KINDS = [
  emailSend,
  smsSend,
  socialPost,
  webPush,
  delay,
  conditionCheck,
  dataUpdate,
  scoringUpdate,
  notificationSend,
  apiCall,
] as const;

export type Weekday = z.output<typeof weekdaySchema>;
