import { Controller, Inject } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type Event } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { handleOnce } from "@cascade/db";
import type { Clock } from "@cascade/compliance";
import { Consume, OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { PUSH_CLOCK, PUSH_CONFIG, PUSH_EVENTS_GROUP, PUSH_SCHEMA, type PushConfig } from "../push.config.js";
import { conversionOf, pushSignalOf, type ConversionPolicy } from "./push-signals.js";
import { AttributeConversionUseCase } from "./use-cases/attribute-conversion.use-case.js";
import { RecordPushEngagementUseCase } from "./use-cases/record-push-engagement.use-case.js";

/**
 * events.v1 → push engagement: `push_delivered` / `push_clicked` (reported by the SDK's service worker through
 * ingest, property idempotency_key) → DELIVERED / OPENED; conversion events → CONVERTED. Everything else is
 * skipped without touching the database.
 */
@Controller()
export class PushEngagementConsumer {
  private readonly policy: ConversionPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly recordEngagement: RecordPushEngagementUseCase,
    private readonly attributeConversion: AttributeConversionUseCase,
    @Inject(PUSH_CONFIG) config: PushConfig,
    @Inject(PUSH_CLOCK) private readonly clock: Clock,
  ) {
    this.policy = { events: new Set(config.PUSH_CONVERSION_EVENTS) };
  }

  @Consume(Topics.EventsV1, { group: PUSH_EVENTS_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const now = this.clock.now();
    const signal = pushSignalOf(message.value, now);
    const conversion = signal ? undefined : conversionOf(message.value, this.policy, now);
    if (!signal && !conversion) return "skipped";
    const result = await handleOnce(
      this.dataSource,
      { schema: PUSH_SCHEMA, group: PUSH_EVENTS_GROUP, messageId: message.id },
      async (manager) => {
        if (signal) await this.recordEngagement.execute(manager, { ...signal, via: "service_worker" });
        else if (conversion) await this.attributeConversion.execute(manager, conversion);
      },
    );
    this.relays.notify(PUSH_SCHEMA);
    return result;
  }
}
