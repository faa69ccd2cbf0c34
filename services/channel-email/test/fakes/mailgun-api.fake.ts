import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HttpFake, json } from "./http-fake.js";

export interface MailgunMessage {
  domain: string;
  fields: Record<string, string[]>;
  messageId: string;
}

/** Speaks Mailgun's POST /v3/:domain/messages (multipart) and GET /v3/:domain/events (accepted, user-variables filter). */
export class MailgunApiFake extends HttpFake {
  readonly received: MailgunMessage[] = [];
  /** Accepted events, also for messages "accepted" before a crash (seeded by tests). */
  readonly accepted: Array<{ messageId: string; userVariables: Record<string, string> }> = [];

  constructor(readonly apiKey: string) {
    super();
  }

  protected async handle(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    if (request.headers.authorization !== `Basic ${Buffer.from(`api:${this.apiKey}`).toString("base64")}`)
      return json(response, 401, { message: "Forbidden" });
    const messages = /^\/v3\/([^/]+)\/messages$/.exec(url.pathname);
    if (messages && request.method === "POST") {
      const form = await new Request("http://fake", {
        method: "POST",
        body: new Uint8Array(body),
        headers: { "content-type": String(request.headers["content-type"]) },
      }).formData();
      const fields: Record<string, string[]> = {};
      form.forEach((value, name) => {
        (fields[name] ??= []).push(String(value));
      });
      if (!fields["to"] || !fields["from"]) return json(response, 400, { message: "'to' parameter is missing" });
      const messageId = `${Date.now()}.${randomUUID()}@${messages[1]}`;
      this.received.push({ domain: String(messages[1]), fields, messageId });
      const userVariables = Object.fromEntries(
        Object.entries(fields)
          .filter(([name]) => name.startsWith("v:"))
          .map(([name, values]) => [name.slice(2), values[0] ?? ""]),
      );
      this.accepted.push({ messageId, userVariables });
      return json(response, 200, { id: `<${messageId}>`, message: "Queued. Thank you." });
    }
    const events = /^\/v3\/([^/]+)\/events$/.exec(url.pathname);
    if (events && request.method === "GET") {
      const filter = JSON.parse(url.searchParams.get("user-variables") ?? "{}") as Record<string, string>;
      const items = this.accepted
        .filter((event) => Object.entries(filter).every(([name, value]) => event.userVariables[name] === value))
        .map((event) => ({
          event: "accepted",
          "user-variables": event.userVariables,
          message: { headers: { "message-id": event.messageId } },
        }));
      return json(response, 200, { items: items.slice(0, Number(url.searchParams.get("limit") ?? 100)), paging: {} });
    }
    json(response, 404, { message: "not found" });
  }
}
