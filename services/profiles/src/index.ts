import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreateContacts1764230400000 } from "./migrations/1764230400000-CreateContacts.js";
import { ProfilesModule } from "./profiles.module.js";

/** profiles: contacts and their activity, from events.v1. */
export const profilesService: ServiceDefinition = {
  name: "profiles",
  module: ProfilesModule,
  migrations: [CreateContacts1764230400000],
  topics: [Topics.EventsV1, Topics.ProfilesChangesV1],
  outbox: true,
};
