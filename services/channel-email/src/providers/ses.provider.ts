import { SendEmailCommand, SESv2Client, SESv2ServiceException } from "@aws-sdk/client-sesv2";
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

export interface SesSettings {
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  timeoutMs: number;
  ratePerSecond: number;
}

/** Amazon SES v2 (SendEmail with simple content and custom headers). No look-up by our key: no findSent. */
export class SesProvider implements EmailProvider {
  readonly kind: ProviderKind = "ses";
  readonly account: string;
  readonly ratePerSecond: number;
  private readonly client: SESv2Client;

  constructor(settings: SesSettings) {
    this.account = `ses:${settings.endpoint ?? settings.region}:${settings.accessKeyId}`;
    this.ratePerSecond = settings.ratePerSecond;
    this.client = new SESv2Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Failover and retries are ours: one attempt per call.
      maxAttempts: 1,
      requestHandler: { requestTimeout: settings.timeoutMs, connectionTimeout: settings.timeoutMs },
    });
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const command = new SendEmailCommand({
      FromEmailAddress: formatAddress(email.from),
      Destination: { ToAddresses: [formatAddress(email.to)] },
      ...(email.replyTo ? { ReplyToAddresses: [formatAddress(email.replyTo)] } : {}),
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: "UTF-8" },
          Body: { Html: { Data: email.html, Charset: "UTF-8" }, Text: { Data: email.text, Charset: "UTF-8" } },
          Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
        },
      },
      EmailTags: [
        { Name: "cascade_workspace", Value: sesTagValue(email.workspaceId) },
        { Name: "cascade_idempotency_key", Value: sesTagValue(email.idempotencyKey) },
      ],
    });
    try {
      const result = await this.client.send(command);
      if (!result.MessageId) throw new ProviderError("ses", "outage", "accepted without a MessageId");
      return { providerMessageId: result.MessageId };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (error instanceof SESv2ServiceException) {
        const status = error.$metadata.httpStatusCode ?? 500;
        if (error.name === "TooManyRequestsException" || error.name === "LimitExceededException") {
          throw httpProviderError("ses", 429, error.message);
        }
        throw httpProviderError("ses", status, `${error.name}: ${error.message}`);
      }
      throw networkProviderError("ses", error);
    }
  }
}

/** SES tag values allow only letters, digits, _ - . @ */
const sesTagValue = (value: string): string => value.replace(/[^A-Za-z0-9_.@-]/g, "_").slice(0, 256);
