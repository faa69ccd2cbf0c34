import { Controller, Inject } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import {
  OutcomeStatus,
  SystemEvents,
  Topics,
  type Event,
  type ProfileChange,
  type PushRequest,
} from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { handleOnce } from "@cascade/db";
import type { Clock } from "@cascade/compliance";
import { Consume, OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { PUSH_CLOCK, PUSH_EVENTS_GROUP, PUSH_GROUP, PUSH_SCHEMA } from "../push.config.js";
import { PushSubscriptionRepository } from "../subscriptions/push-subscription.repository.js";
import { publishPushOutcomes, pushOutcome } from "./push-outcomes.js";
import { SendPushUseCase } from "./use-cases/send-push.use-case.js";

/**
 * channel.push.requests.v1 → SendPushUseCase; events.v1 PushClicked (reported by the service worker through
 * ingest, properties idempotency_key / url) → OPENED outcome; profiles.changes.v1 ContactErased → the
 * contact's subscriptions and preferences are deleted.
 */
@Controller()
export class PushConsumer {
  constructor(
    private readonly sendPush: SendPushUseCase,
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    @Inject(PUSH_CLOCK) private readonly clock: Clock,
  ) {}

  @Consume(Topics.ChannelPushRequestsV1, { group: PUSH_GROUP })
  onRequest(@Payload() message: Delivered<PushRequest>): Promise<HandlerResult> {
    return this.sendPush.execute(message.value);
  }

  @Consume(Topics.EventsV1, { group: PUSH_EVENTS_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const event = message.value;
    if (event.event !== SystemEvents.PushClicked || !event.envelope) return "skipped";
    const key = event.properties?.idempotency_key;
    if (typeof key !== "string" || key === "") return "skipped";
    const url = event.properties?.url;
    const reference = { workspaceId: event.envelope.workspace, idempotencyKey: key, contactId: event.contactId };
    const result = await handleOnce(
      this.dataSource,
      { schema: PUSH_SCHEMA, group: PUSH_EVENTS_GROUP, messageId: message.id },
      (manager) =>
        publishPushOutcomes(manager, [
          pushOutcome(reference, this.clock.now(), {
            status: OutcomeStatus.OPENED,
            details: { via: "service_worker", ...(typeof url === "string" ? { url } : {}) },
          }),
        ]),
    );
    this.relays.notify(PUSH_SCHEMA);
    return result;
  }
}

/** profiles.changes.v1 in its own group (see PUSH_EVENTS_GROUP). */
@Controller()
export class PushProfilesConsumer {
  private readonly subscriptions = new PushSubscriptionRepository();

  constructor(private readonly dataSource: DataSource) {}

  @Consume(Topics.ProfilesChangesV1, { group: "channel-push.profiles" })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.change.case !== "erased" || !change.envelope) return "skipped";
    const workspaceId = change.envelope.workspace;
    return handleOnce(
      this.dataSource,
      { schema: PUSH_SCHEMA, group: "channel-push.profiles", messageId: message.id },
      (manager) => this.subscriptions.removeContact(manager, workspaceId, change.contactId),
    );
  }
}
