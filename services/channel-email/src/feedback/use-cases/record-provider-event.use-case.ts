import { Inject, Injectable } from "@nestjs/common";
import { OutcomeStatus, SystemEvents, Topics, type Event, type JsonObject } from "@cascade/contracts";
import { handleOnce, Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { CLOCK, type Clock } from "../../clock.js";
import { emailOutcome } from "../../sending/outcome-factory.js";
import { SendLedgerRepository, type FeedbackColumn } from "../../sending/send-ledger.repository.js";
import { SuppressionsRepository } from "../../sending/suppressions.repository.js";
import { CHANNEL_EMAIL_GROUP } from "../../sending/email-requests.consumer.js";
import { SCHEMA } from "../../sending/use-cases/send-email.use-case.js";

interface FeedbackRule {
  status: (properties: JsonObject) => OutcomeStatus;
  column: FeedbackColumn;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** Provider callbacks (turned into events.v1 system events by ingest) and what each one means for a send. */
const RULES: Record<string, FeedbackRule> = {
  [SystemEvents.EmailDelivered]: { status: () => OutcomeStatus.DELIVERED, column: "delivered_at" },
  [SystemEvents.EmailBounced]: {
    status: (p) => (str(p["bounce_type"]) === "soft" ? OutcomeStatus.BOUNCED_SOFT : OutcomeStatus.BOUNCED_HARD),
    column: "bounced_at",
  },
  [SystemEvents.EmailComplained]: { status: () => OutcomeStatus.COMPLAINED, column: "complained_at" },
  [SystemEvents.EmailUnsubscribed]: { status: () => OutcomeStatus.UNSUBSCRIBED, column: "unsubscribed_at" },
  [SystemEvents.EmailOpened]: { status: () => OutcomeStatus.OPENED, column: "opened_at" },
  [SystemEvents.EmailClicked]: { status: () => OutcomeStatus.CLICKED, column: "clicked_at" },
};

/**
 * Feeds suppressions from hard bounces, complaints and unsubscribes, records the callback on the send, and
 * publishes the matching outcome correlated through the send ledger (by idempotency key, else provider message id).
 */
@Injectable()
export class RecordProviderEventUseCase {
  private readonly ledger = new SendLedgerRepository();
  private readonly suppressions = new SuppressionsRepository();
  private readonly outbox = new Outbox(SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  static handles(event: Event): boolean {
    return event.event in RULES;
  }

  async execute(messageId: string, event: Event): Promise<"processed" | "duplicate"> {
    const rule = RULES[event.event];
    const workspaceId = event.envelope?.workspace ?? "";
    if (!rule || !workspaceId) return "duplicate";
    const properties = event.properties ?? {};
    const at = this.clock.now();
    const result = await handleOnce(
      this.dataSource,
      { schema: SCHEMA, group: CHANNEL_EMAIL_GROUP, messageId },
      async (manager) => {
        const key = str(properties["cascade_idempotency_key"]) || str(properties["idempotency_key"]);
        const providerMessageId = str(properties["provider_message_id"]);
        const send =
          (key ? await this.ledger.find(manager, workspaceId, key) : undefined) ??
          (providerMessageId
            ? await this.ledger.findByProviderMessageId(manager, workspaceId, providerMessageId)
            : undefined);
        const email = (str(properties["email"]) || send?.email || "").toLowerCase();
        const contactId = send?.contactId ?? event.contactId;
        const status = rule.status(properties);
        if (email) {
          if (status === OutcomeStatus.BOUNCED_HARD)
            await this.suppressions.suppress(manager, workspaceId, email, contactId, "hard_bounce", at);
          if (status === OutcomeStatus.COMPLAINED)
            await this.suppressions.suppress(manager, workspaceId, email, contactId, "complaint", at);
          if (status === OutcomeStatus.UNSUBSCRIBED) {
            await this.suppressions.setSubscription(
              manager,
              workspaceId,
              email,
              contactId,
              str(properties["topic"]) || "*",
              false,
              at,
            );
          }
        }
        if (send)
          await this.ledger.recordFeedback(
            manager,
            workspaceId,
            send.idempotencyKey,
            rule.column,
            at,
            status === OutcomeStatus.BOUNCED_HARD ? "hard" : status === OutcomeStatus.BOUNCED_SOFT ? "soft" : undefined,
          );
        const details: JsonObject = {};
        for (const name of ["reason", "url", "bounce_type", "email"])
          if (str(properties[name])) details[name] = str(properties[name]);
        const outcome = emailOutcome(
          {
            workspaceId,
            idempotencyKey: send?.idempotencyKey ?? key,
            contactId,
            runId: send?.runId,
            nodeId: send?.nodeId,
            workflowId: send?.workflowId,
            variantId: send?.variantId,
          },
          {
            status,
            reason:
              status === OutcomeStatus.BOUNCED_HARD || status === OutcomeStatus.BOUNCED_SOFT
                ? str(properties["reason"]) || str(properties["bounce_type"])
                : "",
            provider: send?.provider ?? str(properties["provider"]),
            providerMessageId: send?.providerMessageId ?? providerMessageId,
            details,
          },
          at,
        );
        await this.outbox.add(manager, Topics.OutcomesV1, [{ value: outcome }]);
      },
    );
    if (result === "processed") this.relays.notify(SCHEMA);
    return result;
  }
}
