/** What channel-sms asks of an SMS provider adapter. */
export interface SmsSend {
  /** E.164 recipient. */
  to: string;
  /** Sender number or alphanumeric id. */
  from: string;
  body: string;
  /** The idempotency key; passed to providers that keep a client reference. */
  reference: string;
  /** Where the provider reports delivery status (with workspace / contact / key query parameters). */
  statusCallbackUrl?: string;
}

export interface SmsAccepted {
  providerMessageId: string;
  /** The provider's own status word, e.g. "queued". */
  providerStatus: string;
}

/**
 * Why a provider call failed, which decides what happens next:
 * - `rejected`: the provider refused this message for good (bad number, opted out); it was not sent.
 * - `not_sent`: the provider provably did not take it (connection refused, 429 rate limit); safe to retry.
 * - `unknown`: it may or may not have been taken (timeout, 5xx); never resend blindly.
 */
export type SmsFailureKind = "rejected" | "not_sent" | "unknown";

export class SmsProviderError extends Error {
  constructor(
    readonly kind: SmsFailureKind,
    /** A stable reason code for the outcome, e.g. "twilio_21211". */
    readonly reason: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SmsProviderError";
  }
}

export interface SmsProvider {
  /** Adapter name, as it appears in outcomes ("twilio", "messagebird"). */
  readonly name: string;
  send(message: SmsSend): Promise<SmsAccepted>;
}

/** Network errors that prove the request never reached the provider. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function networkFailure(provider: string, error: unknown): SmsProviderError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && NEVER_CONNECTED.has(code))
    return new SmsProviderError("not_sent", `${provider}_unreachable`, `${provider}: ${message}`);
  return new SmsProviderError(
    "unknown",
    `${provider}_no_response`,
    `${provider}: no answer (${code ?? message}); the message may have been accepted`,
  );
}

/** Maps an HTTP status from a provider to what it means for this message. */
export function statusFailure(provider: string, status: number, reason: string, message: string): SmsProviderError {
  if (status === 429) return new SmsProviderError("not_sent", `${provider}_rate_limited`, message, status);
  if (status >= 500) return new SmsProviderError("unknown", reason, message, status);
  return new SmsProviderError("rejected", reason, message, status);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
