import { combineEngagement, type EngagementState } from "../scoring/engagement-score.js";
import { mergeTraits, type Traits } from "../traits/traits.js";

/** One row of profiles.contacts: a person as profiles knows them. */
export interface ContactRecord {
  workspaceId: string;
  /** Stable Cascade contact id: the user id when the person was known at creation, else the anonymous id. */
  contactId: string;
  userId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  lastEvent: string | null;
  traits: Traits;
  leadScore: number;
  engagement: EngagementState;
  /** Contact ids merged into this one (they no longer exist). */
  mergedFrom: string[];
}

export function newContact(workspaceId: string, contactId: string, userId: string | null, at: Date): ContactRecord {
  return {
    workspaceId,
    contactId,
    userId,
    firstSeenAt: at,
    lastSeenAt: at,
    eventCount: 0,
    lastEvent: null,
    traits: {},
    leadScore: 0,
    engagement: { mass: 0, at: null },
    mergedFrom: [],
  };
}

/**
 * The contact after `source` is merged into `target` (the known contact): counters and lead scores add,
 * engagement combines (see combineEngagement), traits keep the target's value on conflict, the first and
 * last seen times widen, the last event is the later one's, and `source` (with whatever was merged into it)
 * is recorded in mergedFrom. The target keeps its id and user id (the source's when the target had none).
 */
export function mergeContacts(target: ContactRecord, source: ContactRecord): ContactRecord {
  const sourceIsLater = source.lastSeenAt.getTime() > target.lastSeenAt.getTime();
  return {
    ...target,
    userId: target.userId ?? source.userId,
    firstSeenAt: source.firstSeenAt < target.firstSeenAt ? source.firstSeenAt : target.firstSeenAt,
    lastSeenAt: sourceIsLater ? source.lastSeenAt : target.lastSeenAt,
    eventCount: target.eventCount + source.eventCount,
    lastEvent: sourceIsLater ? source.lastEvent : (target.lastEvent ?? source.lastEvent),
    traits: mergeTraits(target.traits, source.traits),
    leadScore: target.leadScore + source.leadScore,
    engagement: combineEngagement(target.engagement, source.engagement),
    mergedFrom: [...new Set([...target.mergedFrom, source.contactId, ...source.mergedFrom])],
  };
}

/** Counts one event: totals, last event (the latest by event time; ties go to the later-processed). */
export function countEvent(contact: ContactRecord, name: string, at: Date): ContactRecord {
  const isLatest = at.getTime() >= contact.lastSeenAt.getTime();
  return {
    ...contact,
    eventCount: contact.eventCount + 1,
    firstSeenAt: at < contact.firstSeenAt ? at : contact.firstSeenAt,
    lastSeenAt: isLatest ? at : contact.lastSeenAt,
    lastEvent: isLatest || contact.lastEvent === null ? name : contact.lastEvent,
  };
}
