import { SystemEvents } from "@cascade/contracts";
import type { MappingResult } from "../mapped-callback.js";

/** Twilio's standard opt-out, opt-in and help keywords (the whole message, case-insensitive). */
const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const OPT_IN = new Set(["START", "YES", "UNSTOP"]);
const HELP = new Set(["HELP", "INFO"]);

export type SmsKeyword = "opt_out" | "opt_in" | "help";

export function keywordOf(body: string): SmsKeyword | undefined {
  const word = body
    .trim()
    .replace(/[.!]+$/, "")
    .toUpperCase();
  if (OPT_OUT.has(word)) return "opt_out";
  if (OPT_IN.has(word)) return "opt_in";
  if (HELP.has(word)) return "help";
  return undefined;
}

/** Where a callback belongs: the StatusCallback / inbound URL's query `workspace`, `contact`, `key`. */
export interface TwilioTarget {
  workspaceId: string;
  contactId?: string;
  idempotencyKey?: string;
}

/**
 * A message status callback: delivered → sms_delivered; failed / undelivered → sms_failed (error_code); the
 * intermediate statuses (queued, sending, sent, …) are not recorded.
 */
export function mapTwilioStatus(params: Record<string, string>, target: TwilioTarget): MappingResult {
  const status = params.MessageStatus ?? params.SmsStatus;
  const event =
    status === "delivered"
      ? SystemEvents.SmsDelivered
      : status === "failed" || status === "undelivered"
        ? SystemEvents.SmsFailed
        : undefined;
  if (!event) return { ignored: `status "${status ?? "?"}" is not recorded` };
  const contactId = target.contactId ?? params.To;
  if (!contactId) return { ignored: "neither contact nor To is present" };
  const sid = params.MessageSid ?? params.SmsSid;
  return {
    mapped: {
      workspaceId: target.workspaceId,
      contactId,
      event,
      messageId: sid ? `twilio:${sid}:${status}` : undefined,
      properties: {
        provider: "twilio",
        provider_message_id: sid,
        idempotency_key: target.idempotencyKey,
        status,
        error_code: params.ErrorCode,
        to: params.To,
        from: params.From,
      },
    },
  };
}

/** An inbound SMS: STOP-family → sms_opted_out, START-family → sms_opted_in, HELP/INFO → sms_help_requested, else sms_received. */
export function mapTwilioInbound(params: Record<string, string>, target: TwilioTarget): MappingResult {
  const from = params.From;
  const contactId = target.contactId ?? from;
  if (!contactId) return { ignored: "the message has no sender" };
  const body = params.Body ?? "";
  const keyword = keywordOf(body);
  const event =
    keyword === "opt_out"
      ? SystemEvents.SmsOptedOut
      : keyword === "opt_in"
        ? SystemEvents.SmsOptedIn
        : keyword === "help"
          ? SystemEvents.SmsHelpRequested
          : SystemEvents.SmsReceived;
  const sid = params.MessageSid ?? params.SmsSid;
  return {
    mapped: {
      workspaceId: target.workspaceId,
      contactId,
      event,
      messageId: sid ? `twilio:${sid}:inbound` : undefined,
      properties: { provider: "twilio", provider_message_id: sid, from, to: params.To, body, keyword },
    },
  };
}
