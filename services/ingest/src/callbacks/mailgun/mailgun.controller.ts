import { Body, Controller, HttpCode, Inject, Post, Query, UseFilters } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { IngestConfig } from "../../config/ingest.config.js";
import { IngestError } from "../../http/ingest-error.js";
import { IngestErrorFilter } from "../../http/ingest-error.filter.js";
import { RecordCallbackUseCase } from "../record-callback.use-case.js";
import { formFields, queryValue, validWorkspace } from "../callback-target.js";
import { mapMailgunEvent } from "./mailgun-events.js";
import { mapMailgunReply } from "./mailgun-reply.js";
import { verifyMailgunSignature } from "./mailgun-signature.js";

type Json = Record<string, unknown>;

/**
 * Mailgun webhooks: POST /callbacks/mailgun/events (event webhooks, JSON) and POST /callbacks/mailgun/inbound
 * (routes forwarding replies, form fields; `?workspace=&contact=` optional). Both verify Mailgun's signature.
 * An event Cascade does not record is answered 200 `{ ignored }` so Mailgun does not retry it.
 */
@Controller("callbacks/mailgun")
@UseFilters(IngestErrorFilter)
export class MailgunController {
  constructor(
    private readonly config: IngestConfig,
    private readonly recordCallback: RecordCallbackUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Post("events")
  @HttpCode(200)
  async events(@Body() body: unknown): Promise<{ success: true; duplicate?: boolean } | { ignored: string }> {
    const payload = (body && typeof body === "object" ? body : {}) as Json;
    this.verify((payload.signature ?? {}) as Json);
    const eventData = payload["event-data"];
    if (!eventData || typeof eventData !== "object")
      throw IngestError.invalid([{ field: "event-data", message: "is required (an object)" }]);
    const result = mapMailgunEvent(eventData as Json, this.workspace.id);
    if ("ignored" in result) return result;
    return this.recordCallback.execute("mailgun", result.mapped);
  }

  @Post("inbound")
  @HttpCode(200)
  async inbound(
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ): Promise<{ success: true; duplicate?: boolean } | { ignored: string }> {
    const fields = formFields(body);
    this.verify(fields);
    const workspaceParam = queryValue(query, "workspace");
    const workspaceId = workspaceParam === undefined ? this.workspace.id : validWorkspace(workspaceParam);
    if (!workspaceId) throw IngestError.invalid([{ field: "workspace", message: "is not a workspace id" }]);
    const mapped = mapMailgunReply(fields, { workspaceId, contactId: queryValue(query, "contact") });
    if (!mapped) return { ignored: "the message has no sender" };
    return this.recordCallback.execute("mailgun", mapped);
  }

  private verify(fields: Json): void {
    const key = this.config.mailgunSigningKey;
    if (!key)
      throw new IngestError("not_configured", "Mailgun callbacks are off: INGEST_MAILGUN_SIGNING_KEY is not set");
    if (!verifyMailgunSignature(key, fields))
      throw new IngestError("bad_signature", "Mailgun signature does not verify (HMAC-SHA256 of timestamp+token)");
  }
}
