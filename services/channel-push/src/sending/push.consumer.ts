import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type ProfileChange, type PushRequest } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { handleOnce } from "@cascade/db";
import { Consume } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { PushEngagementRepository } from "../engagement/push-engagement.repository.js";
import { PUSH_GROUP, PUSH_SCHEMA } from "../push.config.js";
import { PushSubscriptionRepository } from "../subscriptions/push-subscription.repository.js";
import { SendPushUseCase } from "./use-cases/send-push.use-case.js";

/**
 * channel.push.requests.v1 → SendPushUseCase. (Deliveries, opens and conversions from events.v1:
 * PushEngagementConsumer.)
 */
@Controller()
export class PushConsumer {
  constructor(private readonly sendPush: SendPushUseCase) {}

  @Consume(Topics.ChannelPushRequestsV1, { group: PUSH_GROUP })
  onRequest(@Payload() message: Delivered<PushRequest>): Promise<HandlerResult> {
    return this.sendPush.execute(message.value);
  }
}

/**
 * profiles.changes.v1 in its own group (see PUSH_EVENTS_GROUP): ContactErased → the contact's subscriptions,
 * preferences and push engagement rows are deleted.
 */
@Controller()
export class PushProfilesConsumer {
  private readonly subscriptions = new PushSubscriptionRepository();
  private readonly engagements = new PushEngagementRepository();

  constructor(private readonly dataSource: DataSource) {}

  @Consume(Topics.ProfilesChangesV1, { group: "channel-push.profiles" })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.change.case !== "erased" || !change.envelope) return "skipped";
    const workspaceId = change.envelope.workspace;
    return handleOnce(
      this.dataSource,
      { schema: PUSH_SCHEMA, group: "channel-push.profiles", messageId: message.id },
      async (manager) => {
        await this.subscriptions.removeContact(manager, workspaceId, change.contactId);
        await this.engagements.removeContact(manager, workspaceId, change.contactId);
      },
    );
  }
}
