import twilio from "twilio";
import {
  networkFailure,
  SmsProviderError,
  statusFailure,
  type SmsAccepted,
  type SmsProvider,
  type SmsSend,
} from "./sms-provider.js";

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com in production; a local server in tests. */
  baseUrl: string;
  timeoutMs: number;
}

/** Twilio error code: the recipient replied STOP to this sender. */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

/** Twilio Programmable Messaging through the official `twilio` client (Messages resource, API 2010-04-01). */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = "twilio";
  private readonly client: twilio.Twilio;

  constructor(settings: TwilioSettings) {
    this.client = twilio(settings.accountSid, settings.authToken, { autoRetry: false, timeout: settings.timeoutMs });
    // The client builds every Messages URL from its Api domain's base URL.
    this.client.api.baseUrl = settings.baseUrl;
  }

  async send(message: SmsSend): Promise<SmsAccepted> {
    try {
      const created = await this.client.messages.create({
        to: message.to,
        from: message.from,
        body: message.body,
        ...(message.statusCallbackUrl ? { statusCallback: message.statusCallbackUrl } : {}),
      });
      return { providerMessageId: created.sid, providerStatus: created.status };
    } catch (error) {
      throw toProviderError(error);
    }
  }
}

function toProviderError(error: unknown): SmsProviderError {
  if (error && typeof error === "object" && "status" in error && typeof error.status === "number") {
    const code = "code" in error && typeof error.code === "number" ? error.code : undefined;
    const message = error instanceof Error ? error.message : "Twilio error";
    if (code === TWILIO_UNSUBSCRIBED_RECIPIENT)
      return new SmsProviderError("rejected", "opted_out", `twilio ${code}: ${message}`, error.status);
    return statusFailure(
      "twilio",
      error.status,
      code ? `twilio_${code}` : `twilio_http_${error.status}`,
      `twilio ${code ?? error.status}: ${message}`,
    );
  }
  return networkFailure("twilio", error);
}
