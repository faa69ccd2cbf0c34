import {
  Channel,
  ChannelConsentSchema,
  ConsentStatus,
  ContactStateSchema,
  create,
  newEnvelope,
  ProfileChangeSchema,
  timestampFromDate,
  type ChannelConsent,
  type ContactState,
  type ProfileChange,
} from "@cascade/contracts";
import type { ChannelConsentRecord, ConsentChannel, ConsentState } from "../consent/consent.js";
import { engagementScore } from "../scoring/engagement-score.js";
import type { ContactRecord } from "./contact.js";

/** The `change` oneof of a ProfileChange. */
export type ChangeOf = ProfileChange["change"];

const CHANNELS: Readonly<Record<ConsentChannel, Channel>> = {
  email: Channel.EMAIL,
  sms: Channel.SMS,
  push: Channel.PUSH,
};
const STATUSES: Readonly<Record<ConsentState, ConsentStatus>> = {
  granted: ConsentStatus.GRANTED,
  denied: ConsentStatus.DENIED,
  pending: ConsentStatus.PENDING,
};

export function consentStatusOf(status: ConsentState | undefined): ConsentStatus {
  return status === undefined ? ConsentStatus.UNSPECIFIED : STATUSES[status];
}

export function channelConsentOf(consent: ChannelConsentRecord): ChannelConsent {
  return create(ChannelConsentSchema, {
    channel: CHANNELS[consent.channel],
    status: STATUSES[consent.status],
    source: consent.source,
    updatedAt: timestampFromDate(consent.updatedAt),
  });
}

/**
 * The contact as published with each change. Scores are as of `asOf` (the engagement score decays with
 * time; published changes use the time of the contact's latest activity, the HTTP API uses now).
 */
export function contactStateOf(
  contact: ContactRecord,
  anonymousIds: string[],
  consents: ChannelConsentRecord[],
  asOf: Date,
): ContactState {
  return create(ContactStateSchema, {
    userId: contact.userId ?? "",
    anonymousIds,
    traits: contact.traits,
    engagementScore: engagementScore(contact.engagement, asOf),
    leadScore: contact.leadScore,
    consents: consents.map(channelConsentOf),
    createdAt: timestampFromDate(contact.firstSeenAt),
  });
}

/** One ProfileChange for each change, all carrying the same final state and cause. */
export function profileChanges(parts: {
  workspaceId: string;
  contactId: string;
  causeMessageId: string;
  occurredAt: Date;
  state: ContactState | undefined;
  changes: ReadonlyArray<ChangeOf>;
}): ProfileChange[] {
  return parts.changes.map((change) =>
    create(ProfileChangeSchema, {
      envelope: newEnvelope(parts.workspaceId, parts.occurredAt),
      contactId: parts.contactId,
      causeMessageId: parts.causeMessageId,
      state: parts.state,
      change,
    }),
  );
}
