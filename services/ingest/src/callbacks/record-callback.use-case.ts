import { Injectable } from "@nestjs/common";
import { AcceptEventsUseCase } from "../intake/accept-events.use-case.js";
import { systemEvent } from "../intake/system-event.js";
import type { MappedCallback } from "./mapped-callback.js";

/** Records one verified, mapped provider callback on events.v1 (de-duplicated by the provider's event id). */
@Injectable()
export class RecordCallbackUseCase {
  constructor(private readonly acceptEvents: AcceptEventsUseCase) {}

  async execute(
    provider: "mailgun" | "twilio" | "social",
    mapped: MappedCallback,
  ): Promise<{ success: true; duplicate: boolean }> {
    const result = await this.acceptEvents.execute([
      systemEvent({
        workspaceId: mapped.workspaceId,
        sourceId: provider,
        event: mapped.event,
        contactId: mapped.contactId,
        properties: mapped.properties,
        messageId: mapped.messageId,
        timestamp: mapped.timestamp,
      }),
    ]);
    return { success: true, duplicate: result.duplicates > 0 };
  }
}
