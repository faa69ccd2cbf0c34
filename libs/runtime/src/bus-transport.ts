import { Server, type CustomTransportStrategy } from "@nestjs/microservices";
import { lastValueFrom, isObservable } from "rxjs";
import type { TopicDef } from "@cascade/contracts";
import type { Bus, Delivered, HandlerResult, Subscription } from "@cascade/bus";
import type { ConsumerPattern } from "./consume.decorator.js";

/**
 * A NestJS transport strategy over libs/bus: every `@Consume(topic, { group })` method becomes one bus
 * subscription. Retries, dead letters and commits are the bus's job; the transport only routes.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  // Errors must reach the bus so it can retry and dead-letter; Nest swallows them otherwise.
  override readonly propagatesEventHandlerErrors = true;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly topicsByName: ReadonlyMap<string, TopicDef<unknown>>,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const routes = [...this.messageHandlers].map(([patternKey, handler]) => {
        const pattern = parsePattern(patternKey);
        const topic = this.topicsByName.get(pattern.topic);
        if (!topic) throw new Error(`@Consume on unknown topic "${pattern.topic}" (not in the topic registry)`);
        return { pattern, topic, handler };
      });
      // Every consumed topic exists before its consumer starts, even one a service forgot to list in `topics`.
      await this.bus.ensureTopics([...new Set(routes.map((route) => route.topic))]);
      for (const { pattern, topic, handler } of routes) {
        const subscription = await this.bus.subscribe({
          group: pattern.group,
          topic,
          handler: async (message: Delivered<unknown>): Promise<HandlerResult | void> => {
            const result: unknown = await handler(message);
            const value = isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
            return value as HandlerResult | void;
          },
        });
        this.subscriptions.push(subscription);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Closes every subscription: in-flight messages finish and are committed, nothing else is. */
  async close(): Promise<void> {
    const subscriptions = this.subscriptions.splice(0);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }

  on(): never {
    throw new Error("BusTransport does not emit transport events");
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

function parsePattern(key: string): ConsumerPattern {
  try {
    const parsed = JSON.parse(key) as Partial<ConsumerPattern>;
    if (typeof parsed.topic === "string" && typeof parsed.group === "string") {
      return { topic: parsed.topic, group: parsed.group };
    }
  } catch {
    // fall through to the error below
  }
  throw new Error(`Consumer pattern ${key} is not { topic, group }; use @Consume(topic, { group })`);
}
