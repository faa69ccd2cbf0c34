import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  parseServiceAccountKey,
  ServiceAccountKeyError,
  type ServiceAccountKey,
} from "./sending/providers/google-service-account.js";

/** A service-account key from a variable's text; a bad key is an issue naming the variable (zod's path). */
function serviceAccountKey(describe: (value: string) => { text: string; where: string }) {
  return z
    .string()
    .optional()
    .transform((value, context): ServiceAccountKey | undefined => {
      if (value === undefined) return undefined;
      let source: { text: string; where: string };
      try {
        source = describe(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
      try {
        return parseServiceAccountKey(source.text);
      } catch (error) {
        if (!(error instanceof ServiceAccountKeyError)) throw error;
        context.addIssue({ code: "custom", message: `invalid service-account key${source.where}: ${error.message}` });
        return z.NEVER;
      }
    });
}

/** channel-push settings (PUSH_*, FCM_*). Without VAPID keys web push sends fail with provider_not_configured. */
export const pushConfigSchema = z
  .object({
    PUSH_VAPID_PUBLIC_KEY: z.string().optional(),
    PUSH_VAPID_PRIVATE_KEY: z.string().optional(),
    /** Contact for push services, "mailto:ops@example.com" or an https URL. */
    PUSH_VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:|https:)/, "must start with mailto: or https:")
      .default("mailto:push@cascade.invalid"),
    /** The Firebase project to send through; default: the service-account key's project_id. */
    FCM_PROJECT_ID: z.string().optional(),
    /**
     * The Firebase service-account key (JSON text), from which the service gets and refreshes OAuth 2 access tokens
     * itself. The usual way to authenticate.
     */
    FCM_SERVICE_ACCOUNT_JSON: serviceAccountKey((text) => ({ text, where: "" })),
    /** The path of the service-account key file, instead of FCM_SERVICE_ACCOUNT_JSON. */
    FCM_SERVICE_ACCOUNT_FILE: serviceAccountKey((path) => {
      try {
        return { text: readFileSync(path, "utf8"), where: ` in ${path}` };
      } catch (error) {
        throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }),
    /**
     * A ready OAuth 2 access token for the FCM HTTP v1 API (firebase.messaging scope), instead of a service-account
     * key: it is used as it is, and Google's tokens expire after an hour (for tests and short trials).
     */
    FCM_ACCESS_TOKEN: z.string().optional(),
    FCM_BASE_URL: z.url().default("https://fcm.googleapis.com"),
    PUSH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    /** Non-transactional notifications per contact per day unless the contact's preference says otherwise. */
    PUSH_DEFAULT_MAX_PER_DAY: z.coerce.number().int().nonnegative().default(5),
    /** Public base URL of this service, for the click-tracking redirect (GET <base>/api/push/click?t=<token>). */
    PUSH_PUBLIC_URL: z.url().optional(),
    /** HMAC secret of click-tracking tokens, at least 16 characters. */
    PUSH_TRACKING_SECRET: z.string().min(16).default("change-me-push-tracking-secret"),
    /**
     * URL parameter added to a notification's link, carrying the push's idempotency key, so that the site's SDK
     * can attribute conversions to the push (`context.push.message_id`). Empty: links are left as they are.
     */
    PUSH_LANDING_PARAMETER: z
      .string()
      .regex(/^[A-Za-z0-9_.-]*$/, "letters, digits, '_', '.', '-' only")
      .default("cascade_push"),
    /** Track events (events.v1, comma-separated names) that count as a conversion after a push was opened. */
    PUSH_CONVERSION_EVENTS: z
      .string()
      .default("Order Completed")
      .transform((names) =>
        names
          .split(",")
          .map((name) => name.trim())
          .filter((name) => name !== ""),
      ),
    /** How long after an open a conversion event is credited to the push, in hours. */
    PUSH_CONVERSION_WINDOW_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 90)
      .default(24),
  })
  .superRefine((config, context) => {
    const issue = (variable: string, message: string): void =>
      context.addIssue({ code: "custom", path: [variable], message });
    if (config.FCM_SERVICE_ACCOUNT_JSON && config.FCM_SERVICE_ACCOUNT_FILE)
      issue("FCM_SERVICE_ACCOUNT_FILE", "set FCM_SERVICE_ACCOUNT_JSON or FCM_SERVICE_ACCOUNT_FILE, not both");
    const key = config.FCM_SERVICE_ACCOUNT_JSON ?? config.FCM_SERVICE_ACCOUNT_FILE;
    if (key && config.FCM_ACCESS_TOKEN)
      issue(
        "FCM_ACCESS_TOKEN",
        "set either FCM_ACCESS_TOKEN (a static token) or a service-account key (FCM_SERVICE_ACCOUNT_JSON / FCM_SERVICE_ACCOUNT_FILE), not both",
      );
    if (key && !key.projectId && !config.FCM_PROJECT_ID)
      issue(
        config.FCM_SERVICE_ACCOUNT_JSON ? "FCM_SERVICE_ACCOUNT_JSON" : "FCM_SERVICE_ACCOUNT_FILE",
        `invalid service-account key: missing field "project_id" (or set FCM_PROJECT_ID)`,
      );
    if (config.FCM_ACCESS_TOKEN && !config.FCM_PROJECT_ID) issue("FCM_PROJECT_ID", "required with FCM_ACCESS_TOKEN");
  });

export type PushConfig = z.output<typeof pushConfigSchema>;

/** How FCM authenticates, from the configuration; undefined when FCM is not configured. */
export type FcmCredentials = { projectId: string } & (
  { kind: "service-account"; key: ServiceAccountKey } | { kind: "static-token"; accessToken: string }
);

export function fcmCredentialsOf(config: PushConfig): FcmCredentials | undefined {
  const key = config.FCM_SERVICE_ACCOUNT_JSON ?? config.FCM_SERVICE_ACCOUNT_FILE;
  if (key) {
    const projectId = config.FCM_PROJECT_ID ?? key.projectId;
    return projectId ? { kind: "service-account", projectId, key } : undefined;
  }
  if (config.FCM_ACCESS_TOKEN && config.FCM_PROJECT_ID)
    return { kind: "static-token", projectId: config.FCM_PROJECT_ID, accessToken: config.FCM_ACCESS_TOKEN };
  return undefined;
}
export const PUSH_CONFIG = Symbol.for("cascade.channel-push.config");
export const PUSH_CLOCK = Symbol.for("cascade.channel-push.clock");
export const PUSH_SCHEMA = "channel_push";
export const PUSH_GROUP = "channel-push";
/** events.v1 (push deliveries, opens, conversions) in its own group: see SMS_EVENTS_GROUP in channel-sms for why. */
export const PUSH_EVENTS_GROUP = "channel-push.events";
/** Encrypted Web Push messages are limited to 4096 bytes; aes128gcm adds 86 bytes (header 21 + key 65) + 16 (tag) + 1 (padding delimiter). */
export const WEB_PUSH_MAX_PLAINTEXT_BYTES = 4096 - 86 - 16 - 1;
