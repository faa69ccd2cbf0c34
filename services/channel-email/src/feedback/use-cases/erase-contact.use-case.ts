import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { DeferredSendsRepository } from "../../sending/deferred-sends.repository.js";
import { PROFILE_CHANGES_GROUP } from "../../sending/email-requests.consumer.js";
import { SendLedgerRepository } from "../../sending/send-ledger.repository.js";
import { SuppressionsRepository } from "../../sending/suppressions.repository.js";
import { SCHEMA } from "../../sending/use-cases/send-email.use-case.js";

/**
 * Right to erasure: deletes everything channel-email holds about the contact (sends, deferred sends, outbox mails,
 * suppressions and subscriptions of its addresses).
 */
@Injectable()
export class EraseContactUseCase {
  private readonly ledger = new SendLedgerRepository();
  private readonly deferred = new DeferredSendsRepository();
  private readonly suppressions = new SuppressionsRepository();

  constructor(private readonly dataSource: DataSource) {}

  execute(messageId: string, workspaceId: string, contactId: string): Promise<"processed" | "duplicate"> {
    return handleOnce(this.dataSource, { schema: SCHEMA, group: PROFILE_CHANGES_GROUP, messageId }, async (manager) => {
      const emails = await this.ledger.deleteContact(manager, workspaceId, contactId);
      await this.deferred.deleteContact(manager, workspaceId, contactId);
      await this.suppressions.deleteAddresses(manager, workspaceId, contactId, emails);
    });
  }
}
