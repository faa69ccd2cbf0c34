import { Inject, Injectable } from "@nestjs/common";
import { OutcomeStatus } from "@cascade/contracts";
import { handleOnce } from "@cascade/db";
import type { Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SMS_CLOCK, SMS_EVENTS_GROUP, SMS_SCHEMA } from "../../sms.config.js";
import { publishOutcomes, smsOutcome } from "../../sending/sms-outcomes.js";
import { normalisePhoneNumber } from "../../sending/phone-number.js";
import { SmsConsentRepository } from "../sms-consent.repository.js";

export interface RecordSmsKeywordCommand {
  messageId: string;
  workspaceId: string;
  contactId: string;
  /** The number that texted the keyword. */
  phone: string;
  keyword: "STOP" | "START";
  at: Date;
  /** The inbound message as evidence (provider message id, text). */
  evidence: Record<string, unknown>;
}

/**
 * STOP / START from an inbound message, honoured at once: the number's consent changes in the same
 * transaction as the processed-message record, and every later (or deferred) send checks it. A STOP is also
 * published as an UNSUBSCRIBED outcome.
 */
@Injectable()
export class RecordSmsKeywordUseCase {
  private readonly consents = new SmsConsentRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    @Inject(SMS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RecordSmsKeywordCommand): Promise<"processed" | "duplicate" | "skipped"> {
    const phone = normalisePhoneNumber(command.phone);
    if (!phone.ok) return "skipped";
    const result = await handleOnce(
      this.dataSource,
      { schema: SMS_SCHEMA, group: SMS_EVENTS_GROUP, messageId: command.messageId },
      async (manager) => {
        const status = command.keyword === "STOP" ? "opted_out" : "opted_in";
        const at = command.at.getTime() > this.clock.now().getTime() ? this.clock.now() : command.at;
        const changed = await this.consents.record(manager, {
          workspaceId: command.workspaceId,
          phone: phone.e164,
          contactId: command.contactId,
          status,
          source: `keyword:${command.keyword}`,
          evidence: { ...command.evidence, keyword: command.keyword, received_at: command.at.toISOString() },
          updatedAt: at,
        });
        if (changed && command.keyword === "STOP") {
          const reference = {
            workspaceId: command.workspaceId,
            idempotencyKey: `stop:${command.messageId}`,
            contactId: command.contactId,
          };
          await publishOutcomes(manager, [
            smsOutcome(reference, at, { status: OutcomeStatus.UNSUBSCRIBED, reason: "stop_keyword" }),
          ]);
        }
      },
    );
    this.relays.notify(SMS_SCHEMA);
    return result;
  }
}
