import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { ChannelSmsModule, type ChannelSmsOptions } from "./channel-sms.module.js";
import { CreateSmsTables1764500000100 } from "./migrations/1764500000100-CreateSmsTables.js";

/** channel-sms with explicit options (tests: a ManualClock). */
export function createChannelSmsService(options: ChannelSmsOptions = {}): ServiceDefinition {
  return {
    name: "channel-sms",
    module: ChannelSmsModule.register(options),
    migrations: [CreateSmsTables1764500000100],
    topics: [Topics.ChannelSmsRequestsV1, Topics.EventsV1, Topics.ProfilesChangesV1, Topics.OutcomesV1],
    outbox: true,
  };
}

/** channel-sms: SMS through Twilio or MessageBird with consent, STOP, quiet hours and caps; publishes outcomes.v1. */
export const channelSmsService: ServiceDefinition = createChannelSmsService();
export { SmsBackgroundWorker } from "./sending/sms-background.worker.js";
export { countSegments, estimateCost, type SegmentCount } from "./sending/sms-segments.js";
export { normalisePhoneNumber } from "./sending/phone-number.js";
