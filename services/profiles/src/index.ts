import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreateContacts1764230400000 } from "./migrations/1764230400000-CreateContacts.js";
import { IdentitiesScoresConsent1764403200000 } from "./migrations/1764403200000-IdentitiesScoresConsent.js";
import { ProfilesModule } from "./profiles.module.js";

/**
 * profiles: contacts from events.v1 (identity resolution, traits, engagement and lead scores, consent, GDPR
 * erase and export); publishes profiles.changes.v1 through its transactional outbox.
 */
export const profilesService: ServiceDefinition = {
  name: "profiles",
  module: ProfilesModule,
  migrations: [CreateContacts1764230400000, IdentitiesScoresConsent1764403200000],
  topics: [Topics.EventsV1, Topics.ProfilesChangesV1],
  outbox: true,
};

export { ENGAGEMENT_SATURATION, ENGAGEMENT_TAU_MS, ENGAGEMENT_WEIGHTS } from "./scoring/engagement-score.js";
export { DEFAULT_LEAD_SCORING_RULES, type LeadScoringRule } from "./scoring/lead-score.js";
