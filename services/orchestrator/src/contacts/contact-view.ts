import { Channel, ConsentStatus, timestampDate, type ContactState } from "@cascade/contracts";
import type { ContactView } from "../engine/run-state.js";

const CHANNEL_NAMES: Partial<Record<Channel, string>> = {
  [Channel.EMAIL]: "email",
  [Channel.SMS]: "sms",
  [Channel.PUSH]: "push",
  [Channel.SOCIAL]: "social",
};

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** The orchestrator's view of a contact from a profiles.changes.v1 ContactState snapshot. */
export function contactViewOf(contactId: string, state: ContactState): ContactView {
  const traits: Record<string, unknown> = { ...(state.traits ?? {}) };
  const consent: Record<string, boolean> = {};
  for (const entry of state.consents) {
    const name = CHANNEL_NAMES[entry.channel];
    if (name) consent[name] = entry.status === ConsentStatus.GRANTED;
  }
  const tags = Array.isArray(traits.tags) ? traits.tags.filter((tag): tag is string => typeof tag === "string") : [];
  return {
    id: contactId,
    email: text(traits.email),
    phone: text(traits.phone),
    timezone: text(traits.timezone),
    locale: text(traits.locale),
    created_at: state.createdAt ? timestampDate(state.createdAt).toISOString() : null,
    lead_score: state.leadScore,
    engagement_score: state.engagementScore,
    tags,
    consent,
    traits,
  };
}
