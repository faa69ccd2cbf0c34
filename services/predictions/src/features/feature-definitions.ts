import type { Activity } from "./activity.js";

const DAY_MS = 86_400_000;
/** days_since_last_activity when the contact has none (before the time asked about). */
export const NO_ACTIVITY_DAYS = 365;

/** The features every model reads, by name; numbers only. */
export type ContactFeatures = Readonly<Record<FeatureName, number>>;

/**
 * The feature definitions, in one place: each is computed from the contact's activity log as of a time T
 * over the feature window (T − window, T] (default 30 days), the same way for real-time scoring (T = now)
 * and for training (T = a cutoff), so the models never see a feature computed differently.
 */
export const FEATURE_DEFINITIONS = {
  engagement_score: "Latest engagement score from profiles (profiles.changes.v1) at or before T, 0..1; 0 when unknown.",
  usage_frequency: "Share of days in the window with any activity (distinct UTC days ÷ window days), 0..1.",
  support_tickets: "Support tickets opened in the window (support_ticket, ticket_created, ticket_opened events).",
  page_views: "Page and screen views in the window (page/screen calls, page_viewed events).",
  email_engagement: "Email opens, clicks and replies in the window (email_opened, email_clicked, email_replied).",
  product_interactions: "Product views, clicks, add-to-cart and feature-use events in the window.",
  content_views: "Content items viewed in the window (content_viewed, article_viewed, video_watched …).",
  time_spent: "Minutes spent in the window: the sum of duration_seconds / time_spent / duration properties ÷ 60.",
  sharing_behavior: "Shares in the window (social_shared, content_shared, share events).",
  purchases: "Purchases in the window (purchase, Order Completed).",
  days_since_last_activity: `Days from the last activity at or before T to T; ${NO_ACTIVITY_DAYS} when there is none.`,
} as const;

export type FeatureName = keyof typeof FEATURE_DEFINITIONS;
export const FEATURE_NAMES = Object.keys(FEATURE_DEFINITIONS) as FeatureName[];

/**
 * Computes a contact's features as of `asOf` from its activity (any order; rows after `asOf` are ignored,
 * so a training cutoff never sees the future).
 */
export function computeFeatures(activity: readonly Activity[], asOf: Date, windowDays: number): ContactFeatures {
  const end = asOf.getTime();
  const start = end - windowDays * DAY_MS;
  let engagement = 0;
  let engagementAt = Number.NEGATIVE_INFINITY;
  let lastActivity = Number.NEGATIVE_INFINITY;
  const activeDays = new Set<number>();
  const counts = {
    support_tickets: 0,
    page_views: 0,
    email_engagement: 0,
    product_interactions: 0,
    content_views: 0,
    sharing_behavior: 0,
    purchases: 0,
  };
  let seconds = 0;
  for (const row of activity) {
    const at = row.occurredAt.getTime();
    if (at > end) continue;
    if (row.kind === "engagement_score") {
      if (at >= engagementAt && row.value !== null) {
        engagement = row.value;
        engagementAt = at;
      }
      continue;
    }
    lastActivity = Math.max(lastActivity, at);
    if (at <= start) continue;
    activeDays.add(Math.floor(at / DAY_MS));
    seconds += row.durationSeconds;
    switch (row.kind) {
      case "support_ticket":
        counts.support_tickets++;
        break;
      case "page_view":
        counts.page_views++;
        break;
      case "email_engagement":
        counts.email_engagement++;
        break;
      case "product_interaction":
        counts.product_interactions++;
        break;
      case "content_view":
        counts.content_views++;
        break;
      case "share":
        counts.sharing_behavior++;
        break;
      case "purchase":
        counts.purchases++;
        break;
      case "other":
        break;
    }
  }
  return {
    engagement_score: engagement,
    usage_frequency: activeDays.size / windowDays,
    ...counts,
    time_spent: seconds / 60,
    days_since_last_activity:
      lastActivity === Number.NEGATIVE_INFINITY
        ? NO_ACTIVITY_DAYS
        : Math.min(NO_ACTIVITY_DAYS, (end - lastActivity) / DAY_MS),
  };
}

/** True when the contact did anything (not counting score updates) in (from, to]. */
export function activeBetween(activity: readonly Activity[], from: Date, to: Date): boolean {
  const a = from.getTime();
  const b = to.getTime();
  return activity.some(
    (row) => row.kind !== "engagement_score" && row.occurredAt.getTime() > a && row.occurredAt.getTime() <= b,
  );
}

/** True when the contact purchased in (from, to]. */
export function purchasedBetween(activity: readonly Activity[], from: Date, to: Date): boolean {
  const a = from.getTime();
  const b = to.getTime();
  return activity.some(
    (row) => row.kind === "purchase" && row.occurredAt.getTime() > a && row.occurredAt.getTime() <= b,
  );
}
