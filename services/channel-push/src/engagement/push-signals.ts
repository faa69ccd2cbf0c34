import { EventType, SystemEvents, timestampDate, type Event } from "@cascade/contracts";

/** A browser reported what happened to a push (the SDK's service worker, through ingest). */
export interface PushSignal {
  kind: "delivered" | "opened";
  workspaceId: string;
  idempotencyKey: string;
  /** When it happened (the event's time, corrected for clock skew by ingest). */
  at: Date;
  url?: string;
  anonymousId?: string;
  userId?: string;
}

/** A track event that may convert a push. */
export interface ConversionCandidate {
  workspaceId: string;
  event: string;
  /** The event's messageId (or bus id), reported with the conversion. */
  eventId: string;
  at: Date;
  /** The push the visitor landed from (`context.push.message_id`, set by the SDK's push module). */
  landedKey?: string;
  /** Every id of the person: contact, user and anonymous ids. */
  ids: string[];
  /** The conversion's value, when the event has revenue, value or total. */
  value?: number;
}

export interface ConversionPolicy {
  /** Track event names that count as conversions. */
  events: ReadonlySet<string>;
}

const textOf = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

function whenOf(event: Event, fallback: Date): Date {
  if (event.timestamp) return timestampDate(event.timestamp);
  if (event.envelope?.occurredAt) return timestampDate(event.envelope.occurredAt);
  return fallback;
}

/** `push_delivered` / `push_clicked` with an idempotency_key, else undefined. */
export function pushSignalOf(event: Event, now: Date): PushSignal | undefined {
  if (event.type !== EventType.TRACK || !event.envelope) return undefined;
  const kind =
    event.event === SystemEvents.PushDelivered
      ? "delivered"
      : event.event === SystemEvents.PushClicked
        ? "opened"
        : undefined;
  const idempotencyKey = textOf(event.properties?.idempotency_key);
  if (!kind || !idempotencyKey) return undefined;
  const url = textOf(event.properties?.url);
  return {
    kind,
    workspaceId: event.envelope.workspace,
    idempotencyKey,
    at: whenOf(event, now),
    ...(url ? { url } : {}),
    ...(event.anonymousId ? { anonymousId: event.anonymousId } : {}),
    ...(event.userId ? { userId: event.userId } : {}),
  };
}

/** A track event named in the policy, with the ids and landing key to attribute it by; else undefined. */
export function conversionOf(event: Event, policy: ConversionPolicy, now: Date): ConversionCandidate | undefined {
  if (event.type !== EventType.TRACK || !event.envelope || !policy.events.has(event.event)) return undefined;
  const push = event.context?.push;
  const landedKey =
    push && typeof push === "object" && !Array.isArray(push)
      ? textOf((push as Record<string, unknown>).message_id)
      : undefined;
  const ids = [...new Set([event.contactId, event.userId, event.anonymousId].filter((id) => id !== ""))];
  const properties = event.properties ?? {};
  const value = [properties.revenue, properties.value, properties.total].find(
    (amount): amount is number => typeof amount === "number" && Number.isFinite(amount),
  );
  return {
    workspaceId: event.envelope.workspace,
    event: event.event,
    eventId: event.messageId || event.envelope.id,
    at: whenOf(event, now),
    ...(landedKey ? { landedKey } : {}),
    ids,
    ...(value !== undefined ? { value } : {}),
  };
}
