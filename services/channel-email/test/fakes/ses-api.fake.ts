import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { HttpFake, json } from "./http-fake.js";

export interface SesSendEmailBody {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple: {
      Subject: { Data: string };
      Body: { Html?: { Data: string }; Text?: { Data: string } };
      Headers?: Array<{ Name: string; Value: string }>;
    };
  };
}

/** Speaks SES v2 SendEmail (POST /v2/email/outbound-emails, REST-JSON) and checks a SigV4 Authorization header is present. */
export class SesApiFake extends HttpFake {
  readonly received: SesSendEmailBody[] = [];

  constructor(readonly accessKeyId: string) {
    super();
  }

  protected handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    if (request.url !== "/v2/email/outbound-emails" || request.method !== "POST")
      return json(response, 404, { message: "not found" });
    if (!String(request.headers.authorization ?? "").includes(`Credential=${this.accessKeyId}/`)) {
      return json(response, 403, { message: "missing signature" }, { "x-amzn-errortype": "AccessDeniedException" });
    }
    this.received.push(JSON.parse(body.toString("utf8")) as SesSendEmailBody);
    json(response, 200, { MessageId: `0100${randomUUID()}` });
  }
}
