import { Inject, Injectable } from "@nestjs/common";
import { OutcomeStatus } from "@cascade/contracts";
import { handleOnce } from "@cascade/db";
import { SendLedger, type Clock } from "@cascade/compliance";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { SMS_CLOCK, SMS_EVENTS_GROUP, SMS_SCHEMA } from "../../sms.config.js";
import { publishOutcomes, smsOutcome } from "../../sending/sms-outcomes.js";

export interface RecordDeliveryReportCommand {
  messageId: string;
  workspaceId: string;
  delivered: boolean;
  idempotencyKey?: string;
  providerMessageId?: string;
  /** The provider's status word ("delivered", "undelivered", "failed", ...). */
  status: string;
  errorCode?: string;
}

/**
 * A delivery report (from a Twilio StatusCallback or a MessageBird report, via ingest) settles the send in
 * the ledger and becomes a DELIVERED or FAILED outcome, in one transaction. It also resolves an `unknown` send.
 */
@Injectable()
export class RecordDeliveryReportUseCase {
  private readonly ledger = new SendLedger(SMS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    @Inject(SMS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RecordDeliveryReportCommand): Promise<"processed" | "duplicate" | "skipped"> {
    let matched = false;
    const result = await handleOnce(
      this.dataSource,
      { schema: SMS_SCHEMA, group: SMS_EVENTS_GROUP, messageId: command.messageId },
      async (manager) => {
        const entry = command.idempotencyKey
          ? await this.ledger.find(manager, command.workspaceId, command.idempotencyKey, { lock: true })
          : command.providerMessageId
            ? await this.ledger.findByProviderMessageId(manager, command.workspaceId, command.providerMessageId)
            : undefined;
        if (!entry) return;
        const now = this.clock.now();
        const state = command.delivered ? "delivered" : "failed";
        const reason = command.delivered
          ? undefined
          : command.errorCode
            ? `provider_error_${command.errorCode}`
            : command.status || "undelivered";
        const moved = await this.ledger.transition(manager, entry, ["sending", "sent", "unknown"], state, now, {
          providerMessageId: command.providerMessageId || null,
          ...(reason ? { reason } : {}),
          details: { provider_status: command.status },
        });
        if (!moved) return;
        matched = true;
        const reference = {
          workspaceId: entry.workspaceId,
          idempotencyKey: entry.idempotencyKey,
          contactId: entry.contactId,
        };
        await publishOutcomes(manager, [
          smsOutcome(reference, now, {
            status: command.delivered ? OutcomeStatus.DELIVERED : OutcomeStatus.FAILED,
            reason,
            provider: entry.provider ?? "",
            providerMessageId: command.providerMessageId || entry.providerMessageId || "",
            details: {
              provider_status: command.status,
              ...(command.errorCode ? { error_code: command.errorCode } : {}),
            },
          }),
        ]);
      },
    );
    this.relays.notify(SMS_SCHEMA);
    return result === "duplicate" ? "duplicate" : matched ? "processed" : "skipped";
  }
}
