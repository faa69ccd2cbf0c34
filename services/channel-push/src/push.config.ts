import { z } from "zod";

/** channel-push settings (PUSH_*, FCM_*). Without VAPID keys web push sends fail with provider_not_configured. */
export const pushConfigSchema = z.object({
  PUSH_VAPID_PUBLIC_KEY: z.string().optional(),
  PUSH_VAPID_PRIVATE_KEY: z.string().optional(),
  /** Contact for push services, "mailto:ops@example.com" or an https URL. */
  PUSH_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, "must start with mailto: or https:")
    .default("mailto:push@cascade.invalid"),
  FCM_PROJECT_ID: z.string().optional(),
  /** OAuth 2 access token for the FCM HTTP v1 API (firebase.messaging scope). */
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
});

export type PushConfig = z.output<typeof pushConfigSchema>;
export const PUSH_CONFIG = Symbol.for("cascade.channel-push.config");
export const PUSH_CLOCK = Symbol.for("cascade.channel-push.clock");
export const PUSH_SCHEMA = "channel_push";
export const PUSH_GROUP = "channel-push";
/** events.v1 (push deliveries, opens, conversions) in its own group: see SMS_EVENTS_GROUP in channel-sms for why. */
export const PUSH_EVENTS_GROUP = "channel-push.events";
/** Encrypted Web Push messages are limited to 4096 bytes; aes128gcm adds 86 bytes (header 21 + key 65) + 16 (tag) + 1 (padding delimiter). */
export const WEB_PUSH_MAX_PLAINTEXT_BYTES = 4096 - 86 - 16 - 1;
