import { Injectable } from "@nestjs/common";
import type { JsonObject } from "@cascade/contracts";
import { DataSource, type EntityManager } from "typeorm";
import { ProfilesError } from "../../admin/profiles-error.js";
import type { ConsentChannel } from "../../consent/consent.js";
import { ConsentRepository } from "../../consent/consent.repository.js";
import { IdentitiesRepository, type IdentityKind } from "../../identity/identities.repository.js";
import { engagementScore } from "../../scoring/engagement-score.js";
import { ActivityRepository } from "../activity.repository.js";
import { contactIdFor } from "../contact-lookup.js";
import { ContactsRepository } from "../contacts.repository.js";

/** A contact as the admin API shows it. Scores are as of the request (the engagement score decays). */
export interface ContactView {
  contactId: string;
  userId: string | null;
  anonymousIds: string[];
  identities: Array<{ kind: IdentityKind; value: string; linkedAt: string }>;
  firstSeenAt: string;
  lastSeenAt: string;
  eventCount: number;
  lastEvent: string | null;
  traits: JsonObject;
  scores: { engagement: number; lead: number };
  consent: Partial<Record<ConsentChannel, { status: string; source: string; updatedAt: string; messageId: string }>>;
  counters: Record<string, { count: number; lastAt: string }>;
  mergedFrom: string[];
}

/** Reads one contact by contact id, user id or anonymous id. */
@Injectable()
export class GetContactUseCase {
  constructor(private readonly dataSource: DataSource) {}

  async execute(query: { workspaceId: string; id: string; now?: Date }): Promise<ContactView> {
    const view = await readContactView(this.dataSource.manager, query.workspaceId, query.id, query.now ?? new Date());
    if (!view)
      throw new ProfilesError("CONTACT_NOT_FOUND", `no contact with id, user id or anonymous id "${query.id}"`);
    return view;
  }
}

export async function readContactView(
  manager: EntityManager,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<ContactView | undefined> {
  const contactId = await contactIdFor(manager, workspaceId, id);
  if (contactId === undefined) return undefined;
  const contact = await new ContactsRepository().find(manager, workspaceId, contactId);
  if (!contact) return undefined;
  const identities = await new IdentitiesRepository().listOf(manager, workspaceId, contactId);
  const consents = await new ConsentRepository().current(manager, workspaceId, contactId);
  const counters = await new ActivityRepository().counters(manager, workspaceId, contactId);
  return {
    contactId,
    userId: contact.userId,
    anonymousIds: identities.filter((identity) => identity.kind === "anonymous").map((identity) => identity.value),
    identities: identities.map((identity) => ({
      kind: identity.kind,
      value: identity.value,
      linkedAt: identity.linkedAt.toISOString(),
    })),
    firstSeenAt: contact.firstSeenAt.toISOString(),
    lastSeenAt: contact.lastSeenAt.toISOString(),
    eventCount: contact.eventCount,
    lastEvent: contact.lastEvent,
    traits: contact.traits,
    scores: { engagement: engagementScore(contact.engagement, now), lead: contact.leadScore },
    consent: Object.fromEntries(
      consents.map((consent) => [
        consent.channel,
        {
          status: consent.status,
          source: consent.source,
          updatedAt: consent.updatedAt.toISOString(),
          messageId: consent.messageId,
        },
      ]),
    ),
    counters: Object.fromEntries(
      counters.map((counter) => [counter.event, { count: counter.count, lastAt: counter.lastAt.toISOString() }]),
    ),
    mergedFrom: contact.mergedFrom,
  };
}
