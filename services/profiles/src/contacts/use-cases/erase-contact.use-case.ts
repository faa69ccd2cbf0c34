import { Injectable } from "@nestjs/common";
import { ContactErasedSchema, create, Topics } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { ConsentRepository } from "../../consent/consent.repository.js";
import { IdentitiesRepository } from "../../identity/identities.repository.js";
import { ActivityRepository } from "../activity.repository.js";
import { contactIdFor } from "../contact-lookup.js";
import { ContactsRepository } from "../contacts.repository.js";
import { profileChanges } from "../profile-changes.js";
import { PublishedChangesRepository } from "../published-changes.repository.js";
import { PROFILES_SCHEMA } from "./apply-event.use-case.js";

export interface EraseContactCommand {
  workspaceId: string;
  /** A contact id, user id or anonymous id. */
  id: string;
  requestedBy: string;
  reason: string;
}

export interface EraseContactResult {
  /** The contact profiles held for the id; null when it held none (other services are still told). */
  contactId: string | null;
  /** Every id a ContactErased was published for. */
  erasedIds: string[];
}

/**
 * Right to erasure. Deletes the contact's rows from every profiles table and, in the same transaction,
 * publishes a ContactErased on profiles.changes.v1 for every id the person was known by (contact id, user ids,
 * anonymous ids, merged-in contact ids), since other services key their rows by any of them; already-published
 * outbox rows under those keys (copies of the contact's state) are deleted too. Idempotent: erasing
 * again (or an id profiles never saw) deletes nothing here and still publishes ContactErased for the id, so a
 * service that missed the first request catches up.
 *
 * Not covered: events for these ids already on events.v1 and not yet processed, or sent later, create a fresh
 * contact (profiles keeps no list of erased ids, which would itself be personal data).
 */
@Injectable()
export class EraseContactUseCase {
  private readonly contacts = new ContactsRepository();
  private readonly identities = new IdentitiesRepository();
  private readonly activity = new ActivityRepository();
  private readonly consent = new ConsentRepository();
  private readonly publishedChanges = new PublishedChangesRepository();
  private readonly outbox = new Outbox(PROFILES_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(command: EraseContactCommand): Promise<EraseContactResult> {
    const ws = command.workspaceId;
    const result = await this.dataSource.transaction(async (manager) => {
      const contactId = (await contactIdFor(manager, ws, command.id)) ?? null;
      const ids = new Set([command.id]);
      if (contactId !== null) {
        const contact = await this.contacts.lock(manager, ws, contactId);
        ids.add(contactId);
        for (const identity of await this.identities.listOf(manager, ws, contactId)) ids.add(identity.value);
        for (const merged of contact?.mergedFrom ?? []) ids.add(merged);
        await this.identities.deleteAll(manager, ws, contactId);
        await this.activity.deleteAll(manager, ws, contactId);
        await this.consent.deleteAll(manager, ws, contactId);
        await this.contacts.delete(manager, ws, contactId);
      }
      // Copies of the contact's state in already-published changes go too (before the erasure notices are added).
      await this.publishedChanges.forgetKeys(
        manager,
        [...ids].map((id) => `${ws}:${id}`),
      );
      const erased = create(ContactErasedSchema, { requestedBy: command.requestedBy, reason: command.reason });
      const messages = [...ids].flatMap((id) =>
        profileChanges({
          workspaceId: ws,
          contactId: id,
          causeMessageId: "",
          occurredAt: new Date(),
          state: undefined,
          changes: [{ case: "erased", value: erased }],
        }),
      );
      await this.outbox.add(
        manager,
        Topics.ProfilesChangesV1,
        messages.map((value) => ({ value })),
      );
      return { contactId, erasedIds: [...ids] };
    });
    this.relays.notify(PROFILES_SCHEMA);
    return result;
  }
}
