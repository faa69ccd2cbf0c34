import { Injectable, Logger } from "@nestjs/common";
import { EventPublisher } from "./event-publisher.js";
import { toEventMessage, type IncomingEvent } from "./incoming-event.js";
import { ReceivedMessagesRepository, type MessageRef } from "./received-messages.repository.js";

export interface AcceptedEvents {
  /** Published to events.v1 (acknowledged by the bus). */
  accepted: number;
  /** Skipped: their messageId was already received in this workspace. */
  duplicates: number;
}

/**
 * The one way into events.v1 for every ingest entry point: de-duplicates by (workspace, messageId), publishes the
 * rest, and resolves only once the bus acknowledged them. When publishing fails, the messageIds are released so
 * the client's retry is not mistaken for a duplicate.
 */
@Injectable()
export class AcceptEventsUseCase {
  private readonly log = new Logger("AcceptEvents");

  constructor(
    private readonly receivedMessages: ReceivedMessagesRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async execute(incoming: IncomingEvent[]): Promise<AcceptedEvents> {
    const messages = incoming.map((event) => ({ event: toEventMessage(event), approxBytes: event.approxBytes }));
    const refs: MessageRef[] = [];
    const refIndex: number[] = [];
    incoming.forEach((event, index) => {
      if (event.messageId) {
        refs.push({ workspaceId: event.workspaceId, messageId: event.messageId });
        refIndex.push(index);
      }
    });
    const fresh = new Array<boolean>(incoming.length).fill(true);
    const claimed = await this.receivedMessages.claim(refs);
    claimed.forEach((isNew, i) => (fresh[refIndex[i]!] = isNew));
    const toPublish = messages.filter((_, index) => fresh[index]);
    try {
      await this.publisher.publish(toPublish);
    } catch (error) {
      await this.receivedMessages.release(refs.filter((_, i) => claimed[i])).catch((releaseError: unknown) => {
        // The client's retry of these messageIds will be taken for a duplicate until they expire.
        this.log.error(`publishing failed and its messageIds could not be released: ${String(releaseError)}`);
      });
      throw error;
    }
    return { accepted: toPublish.length, duplicates: incoming.length - toPublish.length };
  }
}
