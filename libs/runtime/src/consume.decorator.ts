import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from "@nestjs/common";
import { EventPattern } from "@nestjs/microservices";
import { throwError, type Observable } from "rxjs";
import type { TopicDef } from "@cascade/contracts";

/** The pattern a consumer method is registered under: one topic, one consumer group. */
export interface ConsumerPattern {
  topic: string;
  group: string;
}

/**
 * Hands a consumer's error to the bus unchanged. Without it Nest's RPC exception handler replaces every error
 * with `{ status: "error", message: "Internal server error" }`, so a NonRetryableError would be retried like
 * any other and the dead letter would not say what went wrong.
 */
@Catch()
export class RethrowToBusFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a method as the consumer of `topic` for consumer group `group` (by convention the service name).
 * The method receives a `Delivered<T>` and returns a `HandlerResult`. Throwing retries with backoff;
 * throwing `NonRetryableError` sends the message to `<topic>.dlq` at once.
 *
 * Two services in one process may consume the same topic: the group is part of the pattern, so their
 * handlers stay separate.
 */
export function Consume<T>(topic: TopicDef<T>, options: { group: string }): MethodDecorator {
  const pattern: ConsumerPattern = { topic: topic.name, group: options.group };
  return applyDecorators(EventPattern(pattern), UseFilters(new RethrowToBusFilter()));
}
