import type { ProviderKind } from "../config/email-config.js";
import {
  httpProviderError,
  networkProviderError,
  type EmailProvider,
  type OutgoingEmail,
  type ProviderReceipt,
} from "./email-provider.js";

export interface SendGridSettings {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  ratePerSecond: number;
}

/** SendGrid through its v3 REST API (POST /v3/mail/send). SendGrid has no look-up by our key: no findSent. */
export class SendGridProvider implements EmailProvider {
  readonly kind: ProviderKind = "sendgrid";
  readonly account: string;
  readonly ratePerSecond: number;

  constructor(private readonly settings: SendGridSettings) {
    this.account = `sendgrid:${settings.baseUrl}:${settings.apiKey.slice(0, 8)}`;
    this.ratePerSecond = settings.ratePerSecond;
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const customArgs = {
      cascade_workspace: email.workspaceId,
      cascade_contact_id: email.contactId,
      cascade_idempotency_key: email.idempotencyKey,
    };
    const body = {
      personalizations: [
        {
          to: [{ email: email.to.address, ...(email.to.name ? { name: email.to.name } : {}) }],
          custom_args: customArgs,
        },
      ],
      from: { email: email.from.address, ...(email.from.name ? { name: email.from.name } : {}) },
      ...(email.replyTo ? { reply_to: { email: email.replyTo.address } } : {}),
      subject: email.subject,
      content: [
        { type: "text/plain", value: email.text },
        { type: "text/html", value: email.html },
      ],
      ...(Object.keys(email.headers).length > 0 ? { headers: email.headers } : {}),
      ...(email.tags.length > 0 ? { categories: email.tags.slice(0, 10) } : {}),
    };
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl}/v3/mail/send`, {
        method: "POST",
        headers: { authorization: `Bearer ${this.settings.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw networkProviderError("sendgrid", error);
    }
    const responseText = await response.text();
    if (response.status !== 202 && response.status !== 200) {
      throw httpProviderError("sendgrid", response.status, responseText, response.headers.get("retry-after"));
    }
    return { providerMessageId: response.headers.get("x-message-id") ?? email.idempotencyKey };
  }
}
