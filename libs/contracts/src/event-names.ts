/**
 * Names of the events Cascade itself puts on events.v1 (from tracking endpoints, provider callbacks and
 * webhooks), so producers and consumers agree on them. Customer events (`Signed Up`, `page_view`) are free text.
 */
export const SystemEvents = {
  WebhookReceived: "webhook_received",
  EmailDelivered: "email_delivered",
  /** properties: bounce_type ("hard" | "soft"), reason, provider, provider_message_id, idempotency_key, email */
  EmailBounced: "email_bounced",
  /** A temporary failure the provider will retry. */
  EmailDeferred: "email_deferred",
  EmailComplained: "email_complained",
  EmailUnsubscribed: "email_unsubscribed",
  EmailOpened: "email_opened",
  EmailClicked: "email_clicked",
  EmailReplied: "email_replied",
  SmsDelivered: "sms_delivered",
  SmsFailed: "sms_failed",
  SmsReceived: "sms_received",
  SmsOptedOut: "sms_opted_out",
  SmsOptedIn: "sms_opted_in",
  SmsHelpRequested: "sms_help_requested",
  /** Reported by the browser SDK's service worker; properties: idempotency_key, url. */
  PushClicked: "push_clicked",
  /** A push reached the browser (reported by the service worker); properties: idempotency_key. */
  PushDelivered: "push_delivered",
  SocialMentioned: "social_mentioned",
  SocialShared: "social_shared",
} as const;

export type SystemEventName = (typeof SystemEvents)[keyof typeof SystemEvents];
