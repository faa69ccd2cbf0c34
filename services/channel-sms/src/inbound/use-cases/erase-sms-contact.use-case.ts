import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DeferredSends, SendLedger } from "@cascade/compliance";
import { DataSource } from "typeorm";
import { SMS_PROFILES_GROUP, SMS_SCHEMA } from "../../sms.config.js";
import { SmsConsentRepository } from "../sms-consent.repository.js";

/**
 * ContactErased: pending deferred sends are dropped, ledger rows keep their keys (so nothing is resent) but
 * forget the contact, opt-ins are deleted, opt-outs stay as an anonymous suppression of the number.
 */
@Injectable()
export class EraseSmsContactUseCase {
  private readonly ledger = new SendLedger(SMS_SCHEMA);
  private readonly deferred = new DeferredSends(SMS_SCHEMA);
  private readonly consents = new SmsConsentRepository();

  constructor(private readonly dataSource: DataSource) {}

  execute(command: { messageId: string; workspaceId: string; contactId: string }): Promise<"processed" | "duplicate"> {
    return handleOnce(
      this.dataSource,
      { schema: SMS_SCHEMA, group: SMS_PROFILES_GROUP, messageId: command.messageId },
      async (manager) => {
        await this.deferred.removeContact(manager, command.workspaceId, command.contactId);
        await this.ledger.eraseContact(manager, command.workspaceId, command.contactId);
        await this.consents.eraseContact(manager, command.workspaceId, command.contactId);
      },
    );
  }
}
