import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One message a fake provider accepted. */
export interface ReceivedSms {
  provider: "twilio" | "messagebird";
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  reference?: string;
}

/** How the fake answers a given recipient (E.164 for Twilio, digits for MessageBird). */
export type FakeAnswer = { status: number; code?: number; message?: string };

/**
 * A local HTTP server on 127.0.0.1 speaking the two provider APIs channel-sms uses:
 * Twilio `POST /2010-04-01/Accounts/{sid}/Messages.json` (form body, Basic auth sid:token) and
 * MessageBird `POST /messages` (JSON, `Authorization: AccessKey <key>`). It keeps every accepted message.
 */
export class FakeSmsProviders {
  readonly received: ReceivedSms[] = [];
  /** Per-recipient canned failures; a queue per number, consumed one answer per request. */
  readonly failures = new Map<string, FakeAnswer[]>();
  private server: Server | undefined;
  private counter = 0;

  constructor(
    readonly twilio = { accountSid: "AC00000000000000000000000000000000", authToken: "twilio-test-token" },
    readonly messageBirdKey = "mb-test-key",
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  sentTo(to: string): ReceivedSms[] {
    return this.received.filter((message) => message.to === to || message.to === to.replace(/^\+/, ""));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const twilioPath = `/2010-04-01/Accounts/${this.twilio.accountSid}/Messages.json`;
    if (request.method === "POST" && request.url === twilioPath) return this.twilioCreate(request, raw, response);
    if (request.method === "POST" && request.url === "/messages") return this.messageBirdCreate(request, raw, response);
    reply(response, 404, { message: `no route ${request.method} ${request.url}` });
  }

  private twilioCreate(request: IncomingMessage, raw: string, response: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${this.twilio.accountSid}:${this.twilio.authToken}`).toString("base64")}`;
    if (request.headers.authorization !== expected)
      return reply(response, 401, { code: 20003, message: "Authenticate", status: 401 });
    const form = new URLSearchParams(raw);
    const to = form.get("To") ?? "";
    if (!to || !form.get("Body") || !form.get("From"))
      return reply(response, 400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
    const failure = this.failures.get(to)?.shift();
    if (failure)
      return reply(response, failure.status, {
        code: failure.code,
        message: failure.message ?? "failure",
        status: failure.status,
      });
    const sid = `SM${String(++this.counter).padStart(32, "0")}`;
    this.received.push({
      provider: "twilio",
      to,
      from: form.get("From") ?? "",
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback") ?? undefined,
    });
    reply(response, 201, {
      sid,
      status: "queued",
      to,
      from: form.get("From"),
      body: form.get("Body"),
      account_sid: this.twilio.accountSid,
      num_segments: "1",
    });
  }

  private messageBirdCreate(request: IncomingMessage, raw: string, response: ServerResponse): void {
    if (request.headers.authorization !== `AccessKey ${this.messageBirdKey}`)
      return reply(response, 401, { errors: [{ code: 2, description: "Request not allowed (incorrect access_key)" }] });
    const body = JSON.parse(raw) as {
      originator?: string;
      body?: string;
      recipients?: string[];
      reference?: string;
      reportUrl?: string;
    };
    const to = body.recipients?.[0] ?? "";
    const failure = this.failures.get(to)?.shift();
    if (failure)
      return reply(response, failure.status, {
        errors: [{ code: failure.code ?? 9, description: failure.message ?? "failure" }],
      });
    const id = `mb${String(++this.counter).padStart(30, "0")}`;
    this.received.push({
      provider: "messagebird",
      to,
      from: body.originator ?? "",
      body: body.body ?? "",
      statusCallback: body.reportUrl,
      reference: body.reference,
    });
    reply(response, 201, {
      id,
      body: body.body,
      originator: body.originator,
      reference: body.reference,
      recipients: { totalCount: 1, items: [{ recipient: Number(to), status: "sent" }] },
    });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
