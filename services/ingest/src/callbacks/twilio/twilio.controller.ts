import { Body, Controller, Inject, Post, Query, Req, Res, UseFilters } from "@nestjs/common";
import type { FastifyReply, FastifyRequest } from "fastify";
import twilio from "twilio";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { IngestConfig } from "../../config/ingest.config.js";
import { IngestError } from "../../http/ingest-error.js";
import { IngestErrorFilter } from "../../http/ingest-error.filter.js";
import { calledUrl, formFields, queryValue, validWorkspace } from "../callback-target.js";
import type { MappingResult } from "../mapped-callback.js";
import { RecordCallbackUseCase } from "../record-callback.use-case.js";
import { mapTwilioInbound, mapTwilioStatus, type TwilioTarget } from "./twilio-messages.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio webhooks, verified with X-Twilio-Signature (twilio.validateRequest: HMAC-SHA1 of the called URL and the
 * sorted POST parameters, with the auth token). POST /callbacks/twilio/status?workspace=&contact=&key= (message
 * StatusCallback) and POST /callbacks/twilio/inbound?workspace= (incoming messages; answered with empty TwiML).
 */
@Controller("callbacks/twilio")
@UseFilters(IngestErrorFilter)
export class TwilioController {
  constructor(
    private readonly config: IngestConfig,
    private readonly recordCallback: RecordCallbackUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Post("status")
  async status(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const params = this.verified(request, body);
    await this.record(mapTwilioStatus(params, this.targetOf(query)));
    await reply.status(204).send();
  }

  @Post("inbound")
  async inbound(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ): Promise<void> {
    const params = this.verified(request, body);
    await this.record(mapTwilioInbound(params, this.targetOf(query)));
    await reply.status(200).header("content-type", "text/xml").send(EMPTY_TWIML);
  }

  private async record(result: MappingResult): Promise<void> {
    if ("mapped" in result) await this.recordCallback.execute("twilio", result.mapped);
  }

  private verified(request: FastifyRequest, body: unknown): Record<string, string> {
    const token = this.config.twilioAuthToken;
    if (!token)
      throw new IngestError("not_configured", "Twilio callbacks are off: INGEST_TWILIO_AUTH_TOKEN is not set");
    const params = formFields(body);
    const signature = request.headers["x-twilio-signature"];
    const url = calledUrl({ protocol: request.protocol, host: request.host, url: request.url }, this.config.publicUrl);
    if (typeof signature !== "string" || !twilio.validateRequest(token, signature, url, params)) {
      throw new IngestError("bad_signature", "X-Twilio-Signature does not verify for this URL and these parameters");
    }
    return params;
  }

  private targetOf(query: Record<string, unknown>): TwilioTarget {
    const workspaceParam = queryValue(query, "workspace");
    const workspaceId = workspaceParam === undefined ? this.workspace.id : validWorkspace(workspaceParam);
    if (!workspaceId) throw IngestError.invalid([{ field: "workspace", message: "is not a workspace id" }]);
    return { workspaceId, contactId: queryValue(query, "contact"), idempotencyKey: queryValue(query, "key") };
  }
}
