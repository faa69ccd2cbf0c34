import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HttpFake, json } from "./http-fake.js";

export interface SendGridMail {
  personalizations: Array<{ to: Array<{ email: string }>; custom_args?: Record<string, string> }>;
  from: { email: string };
  subject: string;
  content: Array<{ type: string; value: string }>;
  headers?: Record<string, string>;
}

/** Speaks SendGrid's v3 POST /v3/mail/send: 202 with X-Message-Id. */
export class SendGridApiFake extends HttpFake {
  readonly received: SendGridMail[] = [];

  constructor(readonly apiKey: string) {
    super();
  }

  protected handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    if (request.url !== "/v3/mail/send" || request.method !== "POST")
      return json(response, 404, { errors: [{ message: "not found" }] });
    if (request.headers.authorization !== `Bearer ${this.apiKey}`)
      return json(response, 401, { errors: [{ message: "unauthorized" }] });
    const mail = JSON.parse(body.toString("utf8")) as SendGridMail;
    if (!mail.personalizations?.[0]?.to?.[0]?.email)
      return json(response, 400, { errors: [{ field: "personalizations.0.to", message: "required" }] });
    this.received.push(mail);
    response.writeHead(202, { "x-message-id": randomUUID().replace(/-/g, "") });
    response.end();
  }
}
