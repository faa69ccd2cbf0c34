import type { PushSubscriptionRecord } from "../../subscriptions/push-subscription.repository.js";

export type PushUrgencyName = "very-low" | "low" | "normal" | "high";

export interface PushDelivery {
  subscription: PushSubscriptionRecord;
  /** The notification as JSON text (already checked against the size limit). */
  payload: string;
  ttlSeconds: number;
  urgency: PushUrgencyName;
  /** Replaces an undelivered notification with the same topic (web push: at most 32 URL-safe characters). */
  topic?: string;
}

/**
 * What the push service answered for one subscription:
 * - `accepted`: taken for delivery (201);
 * - `expired`: 404 / 410 (web push) or UNREGISTERED (FCM): the subscription is gone, remove it;
 * - `rejected`: any other refusal; `retryable` when the push service was unavailable.
 */
export type PushResult =
  | { kind: "accepted"; providerMessageId: string }
  | { kind: "expired"; status: number }
  | { kind: "rejected"; status: number; reason: string; retryable: boolean };

export interface PushProvider {
  readonly name: "webpush" | "fcm";
  send(delivery: PushDelivery): Promise<PushResult>;
}
