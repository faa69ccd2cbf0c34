import { timestampDate, Topics, type Event } from "@cascade/contracts";
import type { Delivered, Subscription } from "@cascade/bus";
import { eventually, uniqueName, type TestPlatform } from "@cascade/testing";

/** Reads this test platform's events.v1 (its suffixed topic) with a group of its own. */
export class EventCollector {
  readonly received: Array<Delivered<Event>> = [];
  private subscription?: Subscription;

  static async start(platform: TestPlatform): Promise<EventCollector> {
    const collector = new EventCollector();
    collector.subscription = await platform.bus.subscribe({
      group: uniqueName("ingest-test"),
      topic: Topics.EventsV1,
      handler: async (message) => {
        collector.received.push(message);
      },
    });
    return collector;
  }

  /** Waits until `count` events match, and returns them. */
  async waitFor(match: (event: Event) => boolean, count = 1, timeoutMs = 20_000): Promise<Array<Delivered<Event>>> {
    return eventually(async () => {
      const found = this.received.filter((message) => match(message.value));
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  }

  matching(match: (event: Event) => boolean): Array<Delivered<Event>> {
    return this.received.filter((message) => match(message.value));
  }

  async close(): Promise<void> {
    await this.subscription?.close();
  }
}

export const timestampOf = (event: Event): Date => timestampDate(event.timestamp!);
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
