import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { ChannelEmailModule, type ChannelEmailOptions } from "./channel-email.module.js";
import { CreateEmailTables1764300000000 } from "./migrations/1764300000000-CreateEmailTables.js";
import { AddEngagementTables1764400000000 } from "./migrations/1764400000000-AddEngagementTables.js";

/** channel-email with its options (tests inject a clock). */
export function createChannelEmailService(options: ChannelEmailOptions = {}): ServiceDefinition {
  return {
    name: "channel-email",
    module: ChannelEmailModule.register(options),
    migrations: [CreateEmailTables1764300000000, AddEngagementTables1764400000000],
    topics: [Topics.ChannelEmailRequestsV1, Topics.OutcomesV1, Topics.EventsV1, Topics.ProfilesChangesV1],
    outbox: true,
  };
}

/** channel-email: channel.email.requests.v1 → providers → outcomes.v1; provider callbacks from events.v1. */
export const channelEmailService: ServiceDefinition = createChannelEmailService();

export { ManualClock, type Clock } from "./clock.js";
export { DeferredSendsPoller } from "./sending/deferred-sends.poller.js";
export { emailConfigSchema, type EmailConfig } from "./config/email-config.js";
export { DeliverabilityMonitor } from "./deliverability/deliverability-monitor.js";
export { ProviderRateLimiter } from "./sending/rate-limiter.js";
