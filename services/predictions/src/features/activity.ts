import { EventType, SystemEvents, timestampDate, type Event, type JsonValue } from "@cascade/contracts";

/**
 * What one events.v1 event counts as for the features. `engagement_score` rows come from
 * profiles.changes.v1 (the engagement score profiles computes), so features can be read as of any time.
 */
export type ActivityKind =
  | "page_view"
  | "email_engagement"
  | "support_ticket"
  | "product_interaction"
  | "content_view"
  | "share"
  | "purchase"
  | "other"
  | "engagement_score";

/** One row of the activity log. */
export interface Activity {
  readonly contactId: string;
  readonly occurredAt: Date;
  readonly kind: ActivityKind;
  /** Content item (content_view, share) or product (product_interaction, purchase) when the event names one. */
  readonly itemId: string | null;
  /** Seconds the contact spent, from `duration_seconds` / `time_spent` / `duration` (0 when absent). */
  readonly durationSeconds: number;
  /** engagement_score rows: the score. */
  readonly value: number | null;
}

/** Track event names (normalised: lower case, spaces and dashes as `_`) and the kind each counts as. */
const KIND_OF_EVENT: Readonly<Record<string, ActivityKind>> = {
  page_view: "page_view",
  page_viewed: "page_view",
  screen_view: "page_view",
  screen_viewed: "page_view",
  [SystemEvents.EmailOpened]: "email_engagement",
  [SystemEvents.EmailClicked]: "email_engagement",
  [SystemEvents.EmailReplied]: "email_engagement",
  support_ticket: "support_ticket",
  support_ticket_created: "support_ticket",
  ticket_created: "support_ticket",
  ticket_opened: "support_ticket",
  product_viewed: "product_interaction",
  product_clicked: "product_interaction",
  product_added: "product_interaction",
  added_to_cart: "product_interaction",
  add_to_cart: "product_interaction",
  product_view: "product_interaction",
  product_interaction: "product_interaction",
  feature_used: "product_interaction",
  content_viewed: "content_view",
  content_view: "content_view",
  article_viewed: "content_view",
  video_watched: "content_view",
  video_played: "content_view",
  [SystemEvents.SocialShared]: "share",
  content_shared: "share",
  share: "share",
  shared: "share",
  purchase: "purchase",
  order_completed: "purchase",
};

const ITEM_PROPERTIES = ["content_id", "item_id", "article_id", "video_id", "product_id", "sku"] as const;
const DURATION_PROPERTIES = ["duration_seconds", "time_spent", "duration"] as const;
const MAX_DURATION_SECONDS = 86_400;

export function normaliseEventName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function stringProperty(properties: Readonly<Record<string, JsonValue>>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = properties[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
  }
  return null;
}

function durationOf(properties: Readonly<Record<string, JsonValue>>): number {
  for (const key of DURATION_PROPERTIES) {
    const raw = properties[key];
    const value = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
    if (Number.isFinite(value)) return Math.min(MAX_DURATION_SECONDS, Math.max(0, value));
  }
  return 0;
}

/**
 * Reads an events.v1 event as activity; undefined for calls that are not the contact's own activity
 * (identify, alias, group) or that name no workspace or contact.
 */
export function activityOf(event: Event): (Activity & { readonly workspaceId: string }) | undefined {
  const workspaceId = event.envelope?.workspace ?? "";
  const contactId = event.contactId || event.userId || event.anonymousId;
  if (!workspaceId || !contactId) return undefined;
  let kind: ActivityKind;
  switch (event.type) {
    case EventType.PAGE:
    case EventType.SCREEN:
      kind = "page_view";
      break;
    case EventType.TRACK:
      kind = KIND_OF_EVENT[normaliseEventName(event.event)] ?? "other";
      break;
    case EventType.IDENTIFY:
    case EventType.GROUP:
    case EventType.ALIAS:
    case EventType.UNSPECIFIED:
      return undefined;
  }
  const properties = (event.properties ?? {}) as Readonly<Record<string, JsonValue>>;
  const occurredAt = event.timestamp
    ? timestampDate(event.timestamp)
    : event.envelope?.occurredAt
      ? timestampDate(event.envelope.occurredAt)
      : new Date();
  const itemKinds: readonly ActivityKind[] = ["content_view", "share", "product_interaction", "purchase"];
  return {
    workspaceId,
    contactId,
    occurredAt: Number.isNaN(occurredAt.getTime()) ? new Date() : occurredAt,
    kind,
    itemId: itemKinds.includes(kind) ? stringProperty(properties, ITEM_PROPERTIES) : null,
    durationSeconds: durationOf(properties),
    value: null,
  };
}
