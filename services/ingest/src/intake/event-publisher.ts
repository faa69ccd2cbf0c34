import { Inject, Injectable } from "@nestjs/common";
import { Topics, type Event } from "@cascade/contracts";
import type { Bus } from "@cascade/bus";
import { BUS } from "@cascade/runtime";
import { GroupCommit } from "./group-commit.js";

/** Bytes per produce flush, well under Kafka's default 1 MB message.max.bytes per partition batch. */
const MAX_FLUSH_BYTES = 512 * 1024;

/** An event with its approximate encoded size (the request's JSON size is a good enough bound). */
export interface SizedEvent {
  event: Event;
  approxBytes: number;
}

/**
 * Publishes events to events.v1, resolving once the bus acknowledged them (Kafka: acks=all). Concurrent requests
 * share produce requests (group commit): the Kafka producer is idempotent with one request in flight, so one
 * send per HTTP request would cap throughput at one broker round trip per request.
 */
@Injectable()
export class EventPublisher {
  private readonly sends: GroupCommit<SizedEvent, void>;

  constructor(@Inject(BUS) private readonly bus: Bus) {
    this.sends = new GroupCommit<SizedEvent, void>(
      async (items) => {
        await this.bus.publish(
          Topics.EventsV1,
          items.map((item) => ({ value: item.event })),
        );
        return items.map(() => undefined);
      },
      { concurrency: 1, maxWeight: MAX_FLUSH_BYTES, weightOf: (item) => item.approxBytes },
    );
  }

  async publish(items: SizedEvent[]): Promise<void> {
    await this.sends.submit(items);
  }
}
