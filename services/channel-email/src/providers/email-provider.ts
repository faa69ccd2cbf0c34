import type { ProviderKind } from "../config/email-config.js";

export interface EmailAddressing {
  address: string;
  name?: string;
}

/** A fully rendered email, ready for a provider. */
export interface OutgoingEmail {
  workspaceId: string;
  contactId: string;
  idempotencyKey: string;
  from: EmailAddressing;
  to: EmailAddressing;
  replyTo?: EmailAddressing;
  subject: string;
  html: string;
  text: string;
  /** Extra MIME headers (List-Unsubscribe, ...). */
  headers: Record<string, string>;
  tags: string[];
}

export interface ProviderReceipt {
  providerMessageId: string;
}

/**
 * One email provider account. `send` resolves once the provider accepted the message and throws
 * ProviderError otherwise. `findSent` looks a message up by its idempotency key (crash reconciliation);
 * providers without such a look-up leave it undefined.
 */
export interface EmailProvider {
  readonly kind: ProviderKind;
  /** Identifies the provider account for rate limiting (shared across replicas). */
  readonly account: string;
  /** Sends per second the account allows. */
  readonly ratePerSecond: number;
  send(email: OutgoingEmail): Promise<ProviderReceipt>;
  findSent?(idempotencyKey: string, since: Date): Promise<ProviderReceipt | null>;
}

/**
 * outage: 5xx, timeouts, connection errors (fail over, retry later);
 * rejected: permanent (4xx, SMTP 5xx), never retried nor failed over;
 * rate_limited: 429 / SMTP 421 with an optional wait.
 */
export type ProviderErrorKind = "outage" | "rejected" | "rate_limited";

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderKind,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = "ProviderError";
  }
}

/** Maps an HTTP status to the error kind; `retryAfter` is the Retry-After header (seconds or HTTP date). */
export function httpProviderError(
  provider: ProviderKind,
  status: number,
  body: string,
  retryAfter?: string | null,
): ProviderError {
  const detail = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ""}`;
  if (status === 429) return new ProviderError(provider, "rate_limited", detail, status, parseRetryAfter(retryAfter));
  if (status >= 500 || status === 408) return new ProviderError(provider, "outage", detail, status);
  return new ProviderError(provider, "rejected", detail, status);
}

export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Network failures and timeouts are outages: the provider may be down, another one may work. */
export function networkProviderError(provider: ProviderKind, error: unknown): ProviderError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError(provider, "outage", `request failed (${message})`);
}

export const formatAddress = (address: EmailAddressing): string =>
  address.name ? `"${address.name.replace(/["\\\r\n]/g, "")}" <${address.address}>` : address.address;
