import { SystemEvents } from "@cascade/contracts";
import { routingHintOf, sentimentOf } from "../text-sentiment.js";
import type { MappedCallback } from "../mapped-callback.js";

const MAX_TEXT = 10_000;

/** The Auto-Submitted header from Mailgun's `message-headers` (a JSON list of [name, value] pairs). */
function autoSubmittedOf(messageHeaders: string | undefined): string | undefined {
  if (!messageHeaders) return undefined;
  try {
    const pairs = JSON.parse(messageHeaders) as unknown;
    if (!Array.isArray(pairs)) return undefined;
    const found = pairs.find(
      (pair): pair is [string, string] => Array.isArray(pair) && String(pair[0]).toLowerCase() === "auto-submitted",
    );
    return found?.[1];
  } catch {
    return undefined;
  }
}

/**
 * An inbound email (Mailgun route, forwarded as form fields) as `email_replied`: the reply text (Mailgun's
 * `stripped-text`, without quoted history, else `body-plain`), its sentiment and a routing hint, and
 * `in_reply_to` (the provider message id of the email it answers) for correlation with the send.
 */
export function mapMailgunReply(
  fields: Record<string, string>,
  target: { workspaceId: string; contactId?: string },
): MappedCallback | undefined {
  const sender = (fields.sender ?? "").trim().toLowerCase();
  const contactId = target.contactId ?? sender;
  if (!contactId) return undefined;
  const subject = fields.subject ?? fields.Subject ?? "";
  const text = (fields["stripped-text"] || fields["body-plain"] || "").slice(0, MAX_TEXT);
  const sentiment = sentimentOf(`${subject}\n${text}`);
  const messageId = fields["Message-Id"] ?? fields["message-id"];
  const timestamp = Number(fields.timestamp);
  return {
    workspaceId: target.workspaceId,
    contactId,
    event: SystemEvents.EmailReplied,
    messageId: messageId ? `mailgun-reply:${messageId}` : undefined,
    timestamp: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp * 1000) : undefined,
    properties: {
      provider: "mailgun",
      email: sender,
      from: fields.from ?? fields.From,
      recipient: fields.recipient,
      subject,
      text,
      provider_message_id: messageId,
      in_reply_to: fields["In-Reply-To"] ?? fields["in-reply-to"],
      references: fields.References ?? fields.references,
      sentiment: sentiment.label,
      sentiment_score: sentiment.score,
      sentiment_comparative: sentiment.comparative,
      routing_hint: routingHintOf(
        { subject, text, autoSubmitted: autoSubmittedOf(fields["message-headers"]) },
        sentiment,
      ),
    },
  };
}
