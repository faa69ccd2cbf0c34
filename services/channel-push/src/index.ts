import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { ChannelPushModule, type ChannelPushOptions } from "./channel-push.module.js";
import { CreatePushTables1764500000200 } from "./migrations/1764500000200-CreatePushTables.js";
import { CreatePushEngagements1764500000300 } from "./migrations/1764500000300-CreatePushEngagements.js";

export function createChannelPushService(options: ChannelPushOptions = {}): ServiceDefinition {
  return {
    name: "channel-push",
    module: ChannelPushModule.register(options),
    migrations: [CreatePushTables1764500000200, CreatePushEngagements1764500000300],
    topics: [Topics.ChannelPushRequestsV1, Topics.EventsV1, Topics.ProfilesChangesV1, Topics.OutcomesV1],
    outbox: true,
  };
}

/**
 * channel-push: web push (VAPID) and FCM HTTP v1, subscriptions API for the browser SDK, delivery / open /
 * conversion tracking; publishes outcomes.v1.
 */
export const channelPushService: ServiceDefinition = createChannelPushService();
export { WEB_PUSH_MAX_PLAINTEXT_BYTES } from "./push.config.js";
