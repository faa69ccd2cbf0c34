import nodemailer, { type Transporter } from "nodemailer";
import type { ProviderKind } from "../config/email-config.js";
import {
  formatAddress,
  networkProviderError,
  ProviderError,
  type EmailProvider,
  type OutgoingEmail,
  type ProviderReceipt,
} from "./email-provider.js";

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://... */
  url: string;
  timeoutMs: number;
  ratePerSecond: number;
}

/** SMTP through nodemailer (pooled connections). SMTP has no look-up: no findSent. */
export class SmtpProvider implements EmailProvider {
  readonly kind: ProviderKind = "smtp";
  readonly account: string;
  readonly ratePerSecond: number;
  private readonly transport: Transporter;

  constructor(settings: SmtpSettings) {
    const url = new URL(settings.url);
    this.account = `smtp:${url.host}:${decodeURIComponent(url.username)}`;
    this.ratePerSecond = settings.ratePerSecond;
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 5,
      host: url.hostname,
      port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
      secure: url.protocol === "smtps:",
      ...(url.username
        ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
        : {}),
      // Local relays (tests, a dev MTA) often offer no TLS; a remote one upgrades with STARTTLS when offered.
      ignoreTLS: url.searchParams.get("tls") === "off",
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
    });
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    try {
      const info = (await this.transport.sendMail({
        from: formatAddress(email.from),
        to: formatAddress(email.to),
        ...(email.replyTo ? { replyTo: formatAddress(email.replyTo) } : {}),
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: {
          ...email.headers,
          "X-Cascade-Workspace": email.workspaceId,
          "X-Cascade-Contact-Id": email.contactId,
          "X-Cascade-Idempotency-Key": email.idempotencyKey,
        },
      })) as { messageId: string };
      return { providerMessageId: info.messageId.replace(/^<|>$/g, "") };
    } catch (error) {
      throw smtpError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** SMTP 5xx replies are permanent rejections, 421/4xx and connection failures are outages. */
function smtpError(error: unknown): ProviderError {
  const code =
    error && typeof error === "object" && "responseCode" in error && typeof error.responseCode === "number"
      ? error.responseCode
      : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === undefined) return networkProviderError("smtp", error);
  if (code === 421 || code === 450 || code === 451 || code === 452)
    return new ProviderError("smtp", code === 421 ? "rate_limited" : "outage", message, code);
  if (code >= 500) return new ProviderError("smtp", "rejected", message, code);
  return new ProviderError("smtp", "outage", message, code);
}
