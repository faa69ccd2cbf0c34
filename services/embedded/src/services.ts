import { channelEmailService } from "@cascade/services/channel-email";
import { channelPushService } from "@cascade/services/channel-push";
import { channelSocialService } from "@cascade/services/channel-social";
import { channelSmsService } from "@cascade/services/channel-sms";
import { ingestService } from "@cascade/services/ingest";
import { orchestratorService } from "@cascade/services/orchestrator";
import { predictionsService } from "@cascade/services/predictions";
import { profilesService } from "@cascade/services/profiles";
import { studioService } from "@cascade/services/studio";
import { triggersService } from "@cascade/services/triggers";
import type { ServiceDefinition } from "@cascade/runtime";

/** Every service, in the order the embedded process starts them. Add a service here when it lands. */
export const ALL_SERVICES: ReadonlyArray<ServiceDefinition> = [
  ingestService,
  profilesService,
  triggersService,
  orchestratorService,
  predictionsService,
  channelEmailService,
  channelSmsService,
  channelPushService,
  channelSocialService,
  studioService,
];
