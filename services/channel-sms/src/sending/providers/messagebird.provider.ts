import { networkFailure, statusFailure, type SmsAccepted, type SmsProvider, type SmsSend } from "./sms-provider.js";

export interface MessageBirdSettings {
  accessKey: string;
  /** https://rest.messagebird.com in production; a local server in tests. */
  baseUrl: string;
  timeoutMs: number;
}

interface MessageBirdMessage {
  id: string;
  recipients?: { items?: Array<{ status?: string }> };
}

interface MessageBirdErrors {
  errors?: Array<{ code?: number; description?: string; parameter?: string }>;
}

/** MessageBird SMS REST API (POST /messages, AccessKey authentication). */
export class MessageBirdSmsProvider implements SmsProvider {
  readonly name = "messagebird";

  constructor(private readonly settings: MessageBirdSettings) {}

  async send(message: SmsSend): Promise<SmsAccepted> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.baseUrl.replace(/\/$/, "")}/messages`, {
        method: "POST",
        headers: {
          authorization: `AccessKey ${this.settings.accessKey}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({
          originator: message.from,
          body: message.body,
          // MessageBird takes MSISDNs without the "+".
          recipients: [message.to.replace(/^\+/, "")],
          reference: message.reference,
          ...(message.statusCallbackUrl ? { reportUrl: message.statusCallbackUrl } : {}),
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw networkFailure("messagebird", error);
    }
    const text = await response.text();
    if (response.status !== 201 && response.status !== 200) {
      const first = parseJson<MessageBirdErrors>(text)?.errors?.[0];
      const reason = first?.code !== undefined ? `messagebird_${first.code}` : `messagebird_http_${response.status}`;
      throw statusFailure(
        "messagebird",
        response.status,
        reason,
        `messagebird ${response.status}: ${first?.description ?? text.slice(0, 200)}`,
      );
    }
    const created = parseJson<MessageBirdMessage>(text);
    if (!created?.id)
      throw statusFailure(
        "messagebird",
        502,
        "messagebird_bad_response",
        "messagebird: the response has no message id",
      );
    return { providerMessageId: created.id, providerStatus: created.recipients?.items?.[0]?.status ?? "sent" };
  }
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
