import type { EntityManager } from "typeorm";
import { newContact, type ContactRecord } from "../contacts/contact.js";
import { ContactsRepository } from "../contacts/contacts.repository.js";
import type { InboundEvent } from "../contacts/inbound-event.js";
import { ContactMerger } from "./contact-merger.js";
import { IdentitiesRepository } from "./identities.repository.js";

/** The contact an event belongs to, and what resolving it changed. */
export interface Resolution {
  /** Locked, possibly new (not yet saved) contact, with any merges applied. */
  contact: ContactRecord;
  created: boolean;
  /** Contacts merged into `contact` while resolving this event. */
  mergedFrom: string[];
  /** Anonymous or alias ids newly linked to an existing contact (without a merge). */
  linkedIds: string[];
  /** The user id, when this event made an anonymous contact known. */
  identifiedAs: string | null;
}

/**
 * Identity resolution. profiles.identities maps each anonymous id and user id to one contact; the contact id is
 * the user id when the person was known when first seen, else their first anonymous id.
 *
 * - userId u: the contact of `user:u` (created as contact u when new). With anonymousId a: `anonymous:a` is linked
 *   to it; if a already belonged to an ANONYMOUS contact, that contact is merged into u's (its history, counters,
 *   scores, consent and traits move; u's traits win). If a belongs to ANOTHER KNOWN user (a shared device),
 *   nothing is merged and a stays with that user.
 * - alias (previousId p, userId u): the contact p belongs to (as user id or anonymous id) is merged into u's,
 *   whoever it is; an unseen p is linked to u's contact under both kinds (the alias call does not say which).
 *   Chains (a → u1, then u1 → u2) therefore end with everything in u2, and later events for a or u1 land there.
 * - anonymousId only: the contact of `anonymous:a` (created as contact a when new).
 * - neither (a system event carrying only a Cascade contact id c): the contact any identity c points to, else a
 *   new contact c with `user:c`.
 *
 * Each id is claimed with INSERT … ON CONFLICT DO NOTHING and then locked, so two events racing for the same new
 * id serialize; whichever runs second sees the first one's contact. Merges lock both contacts. Events of one
 * person on different partitions (keyed by anonymous id and by user id) may be processed in either order: an
 * anonymous event processed after the identify lands on the known contact directly, one processed before is
 * merged in later, so counters, scores and consent converge. Not order-free: traits set by two identify calls
 * on different partitions (the later-processed wins) and `lastEvent` ties.
 */
export class IdentityResolver {
  private readonly contacts = new ContactsRepository();
  private readonly identities = new IdentitiesRepository();
  private readonly merger = new ContactMerger();

  async resolve(manager: EntityManager, event: InboundEvent): Promise<Resolution> {
    const ws = event.workspaceId;
    const { contactId: targetId, userId } = await this.primaryContactOf(manager, event);
    const existing = await this.contacts.lock(manager, ws, targetId);
    const resolution: Resolution = {
      contact: existing ?? newContact(ws, targetId, userId, event.occurredAt),
      created: existing === undefined,
      mergedFrom: [],
      linkedIds: [],
      identifiedAs: null,
    };
    if (existing && existing.userId === null && userId !== null) {
      resolution.contact = { ...existing, userId };
      resolution.identifiedAs = userId;
    }
    if (event.userId && event.anonymousId) await this.linkAnonymousId(manager, resolution, event.anonymousId);
    if (event.userId && event.previousId) await this.linkAlias(manager, resolution, event.previousId);
    return resolution;
  }

  private async primaryContactOf(
    manager: EntityManager,
    event: InboundEvent,
  ): Promise<{ contactId: string; userId: string | null }> {
    const ws = event.workspaceId;
    if (event.userId) {
      const claim = await this.identities.claim(manager, ws, "user", event.userId, event.userId);
      return { contactId: claim.contactId, userId: event.userId };
    }
    if (event.anonymousId) {
      const claim = await this.identities.claim(manager, ws, "anonymous", event.anonymousId, event.anonymousId);
      return { contactId: claim.contactId, userId: null };
    }
    const known = await this.identities.findAnyKind(manager, ws, event.contactId);
    if (known !== undefined) return { contactId: known, userId: null };
    const claim = await this.identities.claim(manager, ws, "user", event.contactId, event.contactId);
    return { contactId: claim.contactId, userId: event.contactId };
  }

  private async linkAnonymousId(manager: EntityManager, resolution: Resolution, anonymousId: string): Promise<void> {
    const target = resolution.contact;
    const claim = await this.identities.claim(manager, target.workspaceId, "anonymous", anonymousId, target.contactId);
    if (claim.linked) {
      if (!resolution.created) resolution.linkedIds.push(anonymousId);
      return;
    }
    if (claim.contactId === target.contactId) return;
    const owner = await this.contacts.lock(manager, target.workspaceId, claim.contactId);
    if (owner === undefined) {
      // An identity without its contact (should not happen): adopt it.
      await this.identities.moveAll(manager, target.workspaceId, claim.contactId, target.contactId);
      resolution.linkedIds.push(anonymousId);
    } else if (owner.userId === null) {
      await this.mergeInto(manager, resolution, owner);
    }
  }

  private async linkAlias(manager: EntityManager, resolution: Resolution, previousId: string): Promise<void> {
    const target = resolution.contact;
    const ws = target.workspaceId;
    const ownerId =
      (await this.identities.lock(manager, ws, "user", previousId)) ??
      (await this.identities.lock(manager, ws, "anonymous", previousId));
    if (ownerId === undefined) {
      await this.identities.claim(manager, ws, "anonymous", previousId, target.contactId);
      await this.identities.claim(manager, ws, "user", previousId, target.contactId);
      resolution.linkedIds.push(previousId);
      return;
    }
    if (ownerId === target.contactId) return;
    const owner = await this.contacts.lock(manager, ws, ownerId);
    if (owner === undefined) {
      await this.identities.moveAll(manager, ws, ownerId, target.contactId);
      resolution.linkedIds.push(previousId);
    } else {
      await this.mergeInto(manager, resolution, owner);
    }
  }

  private async mergeInto(manager: EntityManager, resolution: Resolution, source: ContactRecord): Promise<void> {
    resolution.contact = await this.merger.merge(manager, resolution.contact, source);
    resolution.mergedFrom.push(source.contactId);
  }
}
