import Mailgun from "mailgun.js";
import type { ProviderKind } from "../config/email-config.js";
import {
  formatAddress,
  httpProviderError,
  networkProviderError,
  ProviderError,
  type EmailProvider,
  type OutgoingEmail,
  type ProviderReceipt,
} from "./email-provider.js";

export interface MailgunSettings {
  apiKey: string;
  domain: string;
  baseUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
}

type MailgunClient = ReturnType<InstanceType<typeof Mailgun>["client"]>;

interface MailgunEventsPage {
  items?: Array<{ message?: { headers?: { "message-id"?: string } } }>;
}

/**
 * Mailgun through mailgun.js. Custom variables `v:cascade_workspace`, `v:cascade_contact_id` and
 * `v:cascade_idempotency_key` travel with the message: ingest maps webhooks back with them, and crash
 * reconciliation finds an accepted message by its key through the events API.
 */
export class MailgunProvider implements EmailProvider {
  readonly kind: ProviderKind = "mailgun";
  readonly account: string;
  readonly ratePerSecond: number;
  private readonly client: MailgunClient;

  constructor(private readonly settings: MailgunSettings) {
    this.account = `mailgun:${settings.baseUrl}:${settings.domain}`;
    this.ratePerSecond = settings.ratePerSecond;
    this.client = new Mailgun(FormData).client({
      username: "api",
      key: settings.apiKey,
      url: settings.baseUrl,
      timeout: settings.timeoutMs,
    });
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const data: Record<string, string | string[]> = {
      from: formatAddress(email.from),
      to: [formatAddress(email.to)],
      subject: email.subject,
      html: email.html,
      text: email.text,
      "v:cascade_workspace": email.workspaceId,
      "v:cascade_contact_id": email.contactId,
      "v:cascade_idempotency_key": email.idempotencyKey,
    };
    if (email.replyTo) data["h:Reply-To"] = formatAddress(email.replyTo);
    for (const [name, value] of Object.entries(email.headers)) data[`h:${name}`] = value;
    if (email.tags.length > 0) data["o:tag"] = email.tags.slice(0, 3);
    try {
      // mailgun.js types the message data as a union that a plain record does not narrow to.
      const result = await this.client.messages.create(
        this.settings.domain,
        data as unknown as Parameters<MailgunClient["messages"]["create"]>[1],
      );
      if (!result.id)
        throw new ProviderError("mailgun", "outage", `accepted without a message id (status ${result.status})`);
      return { providerMessageId: stripAngles(result.id) };
    } catch (error) {
      throw toProviderError(error);
    }
  }

  /** Looks for an `accepted` event carrying our idempotency key (user variable) since `since`. */
  async findSent(idempotencyKey: string, since: Date): Promise<ProviderReceipt | null> {
    const query = new URLSearchParams({
      event: "accepted",
      begin: String(Math.floor(since.getTime() / 1000) - 60),
      ascending: "yes",
      limit: "1",
      "user-variables": JSON.stringify({ cascade_idempotency_key: idempotencyKey }),
    });
    const url = `${this.settings.baseUrl}/v3/${encodeURIComponent(this.settings.domain)}/events?${query}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Basic ${Buffer.from(`api:${this.settings.apiKey}`).toString("base64")}` },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw networkProviderError("mailgun", error);
    }
    if (!response.ok)
      throw httpProviderError("mailgun", response.status, await response.text(), response.headers.get("retry-after"));
    const page = (await response.json()) as MailgunEventsPage;
    const messageId = page.items?.[0]?.message?.headers?.["message-id"];
    return messageId ? { providerMessageId: stripAngles(messageId) } : null;
  }
}

const stripAngles = (id: string): string => id.replace(/^<|>$/g, "");

function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number" && error.status > 0) {
    const details = "details" in error && typeof error.details === "string" ? error.details : "";
    return httpProviderError("mailgun", error.status, details);
  }
  return networkProviderError("mailgun", error);
}
