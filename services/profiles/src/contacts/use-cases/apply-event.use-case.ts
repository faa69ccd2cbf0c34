import { Injectable } from "@nestjs/common";
import {
  ConsentChangedSchema,
  ContactCreatedSchema,
  ContactsMergedSchema,
  ContactUpdatedSchema,
  create,
  ScoreChangedSchema,
  ScoreKind,
  Topics,
  TraitsChangedSchema,
} from "@cascade/contracts";
import { handleOnce, Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { consentSignalsOf, CONSENT_TRAIT, supersedes, type ChannelConsentRecord } from "../../consent/consent.js";
import { ConsentRepository } from "../../consent/consent.repository.js";
import { IdentitiesRepository } from "../../identity/identities.repository.js";
import { IdentityResolver, type Resolution } from "../../identity/identity-resolver.js";
import { addEngagement, engagementScore, engagementWeightOf } from "../../scoring/engagement-score.js";
import { leadPointsFor, workflowAdjustmentOf } from "../../scoring/lead-score.js";
import { LeadScoringRulesRepository } from "../../scoring/lead-scoring-rules.repository.js";
import { applyTraitPatch } from "../../traits/traits.js";
import { ActivityRepository, HISTORY_LIMIT } from "../activity.repository.js";
import { countEvent, type ContactRecord } from "../contact.js";
import { ContactsRepository } from "../contacts.repository.js";
import type { InboundEvent } from "../inbound-event.js";
import {
  contactStateOf,
  profileChanges,
  type ChangeOf,
  channelConsentOf,
  consentStatusOf,
} from "../profile-changes.js";

export const PROFILES_GROUP = "profiles";
export const PROFILES_SCHEMA = "profiles";

/**
 * Applies one events.v1 event to its contact: resolves (and merges) identities, counts the event, keeps it in
 * the history, merges identify traits, records consent statements, moves the lead and engagement scores, and
 * writes one ProfileChange per change to the outbox. All of it and the processed-messages record commit in one
 * transaction, so a redelivered event changes nothing and publishes nothing.
 */
@Injectable()
export class ApplyEventUseCase {
  private readonly resolver = new IdentityResolver();
  private readonly contacts = new ContactsRepository();
  private readonly identities = new IdentitiesRepository();
  private readonly activity = new ActivityRepository();
  private readonly consent = new ConsentRepository();
  private readonly leadRules = new LeadScoringRulesRepository();
  private readonly outbox = new Outbox(PROFILES_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(event: InboundEvent): Promise<"processed" | "duplicate"> {
    let published = false;
    const result = await handleOnce(
      this.dataSource,
      { schema: PROFILES_SCHEMA, group: PROFILES_GROUP, messageId: event.messageId },
      async (manager) => {
        published = await this.apply(manager, event);
      },
    );
    if (published) this.relays.notify(PROFILES_SCHEMA);
    return result;
  }

  private async apply(manager: EntityManager, event: InboundEvent): Promise<boolean> {
    const resolution = await this.resolver.resolve(manager, event);
    const changes: ChangeOf[] = identityChanges(resolution, event);
    let contact = countEvent(resolution.contact, event.name, event.occurredAt);
    const ws = event.workspaceId;
    const id = contact.contactId;

    await this.activity.record(manager, {
      workspaceId: ws,
      contactId: id,
      messageId: event.messageId,
      event: event.name,
      occurredAt: event.occurredAt,
      properties: event.traits ?? event.properties,
    });
    if (contact.eventCount > HISTORY_LIMIT || resolution.mergedFrom.length > 0)
      await this.activity.trimHistory(manager, ws, id);

    if (event.traits) {
      const { [CONSENT_TRAIT]: _consent, ...patch } = event.traits;
      const applied = applyTraitPatch(contact.traits, patch);
      contact = { ...contact, traits: applied.traits };
      if (applied.changedKeys.length > 0) {
        changes.push({
          case: "traitsChanged",
          value: create(TraitsChangedSchema, { changedKeys: applied.changedKeys, previous: applied.previous }),
        });
      }
    }

    changes.push(...(await this.applyConsent(manager, contact, event)));
    const scored = await this.applyScores(manager, contact, event);
    contact = scored.contact;
    changes.push(...scored.changes);

    await this.contacts.save(manager, contact);
    if (changes.length === 0) return false;

    const identities = await this.identities.listOf(manager, ws, id);
    const consents = await this.consent.current(manager, ws, id);
    const anonymousIds = identities
      .filter((identity) => identity.kind === "anonymous")
      .map((identity) => identity.value);
    const state = contactStateOf(contact, anonymousIds, consents, contact.lastSeenAt);
    const messages = profileChanges({
      workspaceId: ws,
      contactId: id,
      causeMessageId: event.messageId,
      occurredAt: event.occurredAt,
      state,
      changes,
    });
    await this.outbox.add(
      manager,
      Topics.ProfilesChangesV1,
      messages.map((value) => ({ value })),
    );
    return true;
  }

  /** Records every consent statement as evidence; the latest by event time becomes the channel's consent. */
  private async applyConsent(manager: EntityManager, contact: ContactRecord, event: InboundEvent): Promise<ChangeOf[]> {
    const signals = consentSignalsOf(event.name, event.properties, event.traits);
    if (signals.length === 0) return [];
    const { workspaceId: ws, contactId: id } = contact;
    const current = new Map((await this.consent.current(manager, ws, id)).map((consent) => [consent.channel, consent]));
    const changes: ChangeOf[] = [];
    for (const signal of signals) {
      await this.consent.addEvidence(manager, ws, id, {
        ...signal,
        occurredAt: event.occurredAt,
        messageId: event.messageId,
        event: event.name,
      });
      const before = current.get(signal.channel);
      if (!supersedes(before, event.occurredAt)) continue;
      const next: ChannelConsentRecord = { ...signal, updatedAt: event.occurredAt, messageId: event.messageId };
      await this.consent.set(manager, ws, id, next);
      current.set(signal.channel, next);
      if (before?.status !== next.status) {
        changes.push({
          case: "consentChanged",
          value: create(ConsentChangedSchema, {
            consent: channelConsentOf(next),
            previousStatus: consentStatusOf(before?.status),
          }),
        });
      }
    }
    return changes;
  }

  private async applyScores(
    manager: EntityManager,
    contact: ContactRecord,
    event: InboundEvent,
  ): Promise<{ contact: ContactRecord; changes: ChangeOf[] }> {
    const changes: ChangeOf[] = [];
    let next = contact;
    const { rules } = await this.leadRules.rulesOf(manager, event.workspaceId);
    const points = leadPointsFor(rules, event.name) + workflowAdjustmentOf(event.name, event.properties);
    if (points !== 0) {
      next = { ...next, leadScore: next.leadScore + points };
      changes.push(scoreChange(ScoreKind.LEAD, contact.leadScore, next.leadScore, `rule:${event.name}`));
    }
    const weight = engagementWeightOf(event.name);
    if (weight > 0) {
      const asOf = next.lastSeenAt;
      const previous = engagementScore(next.engagement, asOf);
      next = { ...next, engagement: addEngagement(next.engagement, weight, event.occurredAt) };
      const current = engagementScore(next.engagement, asOf);
      if (current !== previous)
        changes.push(scoreChange(ScoreKind.ENGAGEMENT, previous, current, `event:${event.name}`));
    }
    return { contact: next, changes };
  }
}

function scoreChange(score: ScoreKind, previous: number, current: number, reason: string): ChangeOf {
  return { case: "scoreChanged", value: create(ScoreChangedSchema, { score, previous, current, reason }) };
}

function identityChanges(resolution: Resolution, event: InboundEvent): ChangeOf[] {
  const changes: ChangeOf[] = [];
  const { contact } = resolution;
  if (resolution.created) {
    changes.push({
      case: "created",
      value: create(ContactCreatedSchema, { userId: contact.userId ?? "", anonymousId: event.anonymousId }),
    });
  }
  if (resolution.mergedFrom.length > 0) {
    changes.push({ case: "merged", value: create(ContactsMergedSchema, { mergedFrom: resolution.mergedFrom }) });
  }
  if (resolution.linkedIds.length > 0 || resolution.identifiedAs !== null) {
    changes.push({
      case: "updated",
      value: create(ContactUpdatedSchema, { userId: contact.userId ?? "", addedAnonymousIds: resolution.linkedIds }),
    });
  }
  return changes;
}
