import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { ContactActivityRepository } from "../contact-activity.repository.js";

export interface RecordActivityCommand {
  messageId: string;
  workspaceId: string;
  contactId: string;
  event: string;
  occurredAt: Date;
}

export const PROFILES_GROUP = "profiles";

/**
 * Counts an event against its contact. The processed-messages ledger and the counter change commit in one
 * transaction, so a redelivered event counts once.
 */
@Injectable()
export class RecordActivityUseCase {
  private readonly contacts = new ContactActivityRepository();

  constructor(private readonly dataSource: DataSource) {}

  execute(command: RecordActivityCommand): Promise<"processed" | "duplicate"> {
    return handleOnce(this.dataSource, { schema: "profiles", group: PROFILES_GROUP, messageId: command.messageId }, (manager) =>
      this.contacts.recordEvent(manager, {
        workspaceId: command.workspaceId,
        contactId: command.contactId,
        at: command.occurredAt,
        event: command.event,
      }),
    );
  }
}
