import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import {
  create,
  MessageCategory,
  newEnvelope,
  SmsRequestSchema,
  SystemEvents,
  timestampDate,
  Topics,
  type Event,
  type JsonObject,
  type ProfileChange,
} from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { Inject } from "@nestjs/common";
import { SMS_CONFIG, SMS_EVENTS_GROUP, SMS_PROFILES_GROUP, type SmsConfig } from "../sms.config.js";
import { SendSmsUseCase } from "../sending/use-cases/send-sms.use-case.js";
import { EraseSmsContactUseCase } from "./use-cases/erase-sms-contact.use-case.js";
import { RecordDeliveryReportUseCase } from "./use-cases/record-delivery-report.use-case.js";
import { RecordSmsKeywordUseCase } from "./use-cases/record-sms-keyword.use-case.js";

/**
 * What channel-sms reads from events.v1 (published by ingest from provider callbacks): STOP / START / HELP
 * keywords and delivery reports; and ContactErased from profiles.changes.v1.
 */
@Controller()
export class SmsEventsConsumer {
  constructor(
    private readonly keywords: RecordSmsKeywordUseCase,
    private readonly reports: RecordDeliveryReportUseCase,
    private readonly sendSms: SendSmsUseCase,
    private readonly erase: EraseSmsContactUseCase,
    @Inject(SMS_CONFIG) private readonly config: SmsConfig,
  ) {}

  @Consume(Topics.EventsV1, { group: SMS_EVENTS_GROUP })
  async onEvent(@Payload() message: Delivered<Event>): Promise<HandlerResult> {
    const event = message.value;
    const workspaceId = event.envelope?.workspace;
    if (!workspaceId) return "skipped";
    const properties = event.properties ?? {};
    const at = event.timestamp
      ? timestampDate(event.timestamp)
      : event.envelope?.occurredAt
        ? timestampDate(event.envelope.occurredAt)
        : new Date();
    const phone = text(properties, "phone") ?? text(properties, "from");
    switch (event.event) {
      case SystemEvents.SmsOptedOut:
      case SystemEvents.SmsOptedIn:
        if (!phone) return "skipped";
        return this.keywords.execute({
          messageId: message.id,
          workspaceId,
          contactId: event.contactId,
          phone,
          keyword: event.event === SystemEvents.SmsOptedOut ? "STOP" : "START",
          at,
          evidence: {
            event_id: message.id,
            provider_message_id: text(properties, "provider_message_id") ?? "",
            body: text(properties, "body") ?? "",
          },
        });
      case SystemEvents.SmsHelpRequested:
        if (!phone) return "skipped";
        // The reply is a transactional send like any other, keyed by the inbound event so it goes out once.
        return this.sendSms.execute({
          source: "request",
          request: create(SmsRequestSchema, {
            envelope: newEnvelope(workspaceId),
            idempotencyKey: `help:${message.id}`,
            contactId: event.contactId,
            category: MessageCategory.TRANSACTIONAL,
            to: phone,
            from: text(properties, "to") ?? "",
            body: this.config.SMS_HELP_TEXT,
          }),
        });
      case SystemEvents.SmsDelivered:
      case SystemEvents.SmsFailed:
        return this.reports.execute({
          messageId: message.id,
          workspaceId,
          delivered: event.event === SystemEvents.SmsDelivered,
          idempotencyKey: text(properties, "idempotency_key"),
          providerMessageId: text(properties, "provider_message_id"),
          status: text(properties, "status") ?? "",
          errorCode: text(properties, "error_code"),
        });
      default:
        return "skipped";
    }
  }

  @Consume(Topics.ProfilesChangesV1, { group: SMS_PROFILES_GROUP })
  async onProfileChange(@Payload() message: Delivered<ProfileChange>): Promise<HandlerResult> {
    const change = message.value;
    if (change.change.case !== "erased" || !change.envelope) return "skipped";
    return this.erase.execute({
      messageId: message.id,
      workspaceId: change.envelope.workspace,
      contactId: change.contactId,
    });
  }
}

function text(properties: JsonObject, name: string): string | undefined {
  const value = properties[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
