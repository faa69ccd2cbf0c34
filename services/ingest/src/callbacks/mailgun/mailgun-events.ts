import { SystemEvents, type SystemEventName } from "@cascade/contracts";
import { validWorkspace } from "../callback-target.js";
import type { MappingResult } from "../mapped-callback.js";

/**
 * Custom variables channel-email sets on every Mailgun send (`v:<name>`), returned by Mailgun in `user-variables`.
 */
export const MailgunVariables = {
  Workspace: "cascade_workspace",
  ContactId: "cascade_contact_id",
  IdempotencyKey: "cascade_idempotency_key",
} as const;

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
const stringAt = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * One Mailgun event webhook (`event-data`) as a Cascade event: delivered → email_delivered; failed/permanent →
 * email_bounced (bounce_type hard); failed/temporary → email_deferred (bounce_type soft); complained →
 * email_complained; unsubscribed → email_unsubscribed; opened → email_opened; clicked → email_clicked. Other
 * events (accepted, stored, …) are ignored. Without `cascade_workspace` the default workspace is assumed; the
 * contact is `cascade_contact_id`, else the recipient address.
 */
export function mapMailgunEvent(eventData: Json, defaultWorkspace: string): MappingResult {
  const variables = objectAt(eventData["user-variables"]);
  const recipient = stringAt(eventData.recipient);
  const kind = stringAt(eventData.event);
  const severity = stringAt(eventData.severity);
  const name = systemEventFor(kind, severity);
  if (!name) return { ignored: `Mailgun event "${kind ?? "?"}" is not recorded` };
  const workspaceVariable = stringAt(variables[MailgunVariables.Workspace]);
  const workspaceId = workspaceVariable === undefined ? defaultWorkspace : validWorkspace(workspaceVariable);
  if (!workspaceId) return { ignored: `user variable ${MailgunVariables.Workspace} is not a workspace id` };
  const contactId = stringAt(variables[MailgunVariables.ContactId]) ?? recipient;
  if (!contactId) return { ignored: "neither cascade_contact_id nor recipient is present" };
  const deliveryStatus = objectAt(eventData["delivery-status"]);
  const headers = objectAt(objectAt(eventData.message).headers);
  const timestamp = typeof eventData.timestamp === "number" ? new Date(eventData.timestamp * 1000) : undefined;
  const bounce = name === SystemEvents.EmailBounced ? "hard" : name === SystemEvents.EmailDeferred ? "soft" : undefined;
  const eventId = stringAt(eventData.id);
  return {
    mapped: {
      workspaceId,
      contactId,
      event: name,
      messageId: eventId ? `mailgun:${eventId}` : undefined,
      timestamp,
      properties: {
        provider: "mailgun",
        provider_event: kind,
        provider_event_id: eventId,
        provider_message_id: stringAt(headers["message-id"]),
        idempotency_key: stringAt(variables[MailgunVariables.IdempotencyKey]),
        email: recipient,
        bounce_type: bounce,
        reason: stringAt(deliveryStatus.description) ?? stringAt(deliveryStatus.message) ?? stringAt(eventData.reason),
        delivery_status_code: typeof deliveryStatus.code === "number" ? deliveryStatus.code : undefined,
        url: stringAt(eventData.url),
        user_variables: Object.keys(variables).length > 0 ? variables : undefined,
      },
    },
  };
}

function systemEventFor(kind: string | undefined, severity: string | undefined): SystemEventName | undefined {
  switch (kind ?? "") {
    case "delivered":
      return SystemEvents.EmailDelivered;
    case "failed":
      return severity === "temporary" ? SystemEvents.EmailDeferred : SystemEvents.EmailBounced;
    case "complained":
      return SystemEvents.EmailComplained;
    case "unsubscribed":
      return SystemEvents.EmailUnsubscribed;
    case "opened":
      return SystemEvents.EmailOpened;
    case "clicked":
      return SystemEvents.EmailClicked;
    default:
      return undefined;
  }
}
