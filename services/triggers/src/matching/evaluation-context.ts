/**
 * The data trigger expressions read, shaped like the default expression scope of @cascade/workflow:
 * `contact.*`, `event.*`, `prediction.<model>`.
 */

/** A contact as expressions see it (`contact.lead_score`, `contact.traits.plan`, ...). */
export interface ContactView {
  readonly id: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly timezone: string | null;
  readonly locale: string | null;
  /** ISO-8601. */
  readonly created_at: string | null;
  readonly lead_score: number;
  readonly engagement_score: number;
  readonly tags: readonly string[];
  readonly consent: Readonly<Record<string, boolean>>;
  readonly traits: Readonly<Record<string, unknown>>;
}

/** An event as expressions see it (`event.name`, `event.properties.url`, ...). */
export interface EventView {
  readonly id: string;
  readonly name: string;
  /** Event time, ISO-8601. */
  readonly timestamp: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

/** What a trigger, exclusion or exit condition is evaluated against. Missing parts read as null. */
export interface TriggerContext {
  readonly event?: EventView;
  readonly contact?: ContactView;
  readonly prediction?: Readonly<Record<string, number>>;
}

/** An empty contact (only the id), for contacts the projection has not seen yet. */
export function unknownContact(contactId: string): ContactView {
  return {
    id: contactId,
    email: null,
    phone: null,
    timezone: null,
    locale: null,
    created_at: null,
    lead_score: 0,
    engagement_score: 0,
    tags: [],
    consent: {},
    traits: {},
  };
}
