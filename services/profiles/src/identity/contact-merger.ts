import type { EntityManager } from "typeorm";
import { ConsentRepository } from "../consent/consent.repository.js";
import { ActivityRepository } from "../contacts/activity.repository.js";
import { mergeContacts, type ContactRecord } from "../contacts/contact.js";
import { ContactsRepository } from "../contacts/contacts.repository.js";
import { IdentitiesRepository } from "./identities.repository.js";

/**
 * Merges one contact into another inside the caller's transaction: identities, counters, history and consent
 * move to the target, the source row is deleted, and the merged record (see mergeContacts) is returned for the
 * caller to save. Both contacts must be locked by the caller.
 */
export class ContactMerger {
  private readonly contacts = new ContactsRepository();
  private readonly identities = new IdentitiesRepository();
  private readonly activity = new ActivityRepository();
  private readonly consent = new ConsentRepository();

  async merge(manager: EntityManager, target: ContactRecord, source: ContactRecord): Promise<ContactRecord> {
    const { workspaceId } = target;
    await this.identities.moveAll(manager, workspaceId, source.contactId, target.contactId);
    await this.activity.moveAll(manager, workspaceId, source.contactId, target.contactId);
    await this.consent.moveAll(manager, workspaceId, source.contactId, target.contactId);
    await this.contacts.delete(manager, workspaceId, source.contactId);
    return mergeContacts(target, source);
  }
}
