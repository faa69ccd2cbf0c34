import { Body, Controller, HttpCode, Inject, Post, Query, Req, UseFilters } from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { IngestConfig } from "../../config/ingest.config.js";
import { IngestError } from "../../http/ingest-error.js";
import { IngestErrorFilter } from "../../http/ingest-error.filter.js";
import type { RequestWithRawBody } from "../../http/ingest-http.setup.js";
import { verifySha256Header } from "../../http/signatures.js";
import { jsonObjectBody } from "../../http/validation.js";
import { queryValue, validWorkspace } from "../callback-target.js";
import { RecordCallbackUseCase } from "../record-callback.use-case.js";
import { mapSocialWebhook } from "./social-webhook.js";

/** POST /callbacks/social?workspace=: mention and share webhooks, signed with X-Hub-Signature-256 (sha256=<hex> of the raw body). */
@Controller("callbacks/social")
@UseFilters(IngestErrorFilter)
export class SocialController {
  constructor(
    private readonly config: IngestConfig,
    private readonly recordCallback: RecordCallbackUseCase,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(
    @Req() request: RequestWithRawBody & { headers: Record<string, string | string[] | undefined> },
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
  ): Promise<{ success: true; duplicate: boolean }> {
    const secret = this.config.socialWebhookSecret;
    if (!secret)
      throw new IngestError("not_configured", "social webhooks are off: INGEST_SOCIAL_WEBHOOK_SECRET is not set");
    if (!verifySha256Header(request.headers["x-hub-signature-256"], secret, request.rawBody ?? Buffer.alloc(0))) {
      throw new IngestError("bad_signature", "X-Hub-Signature-256 must be sha256=<hex HMAC-SHA256 of the raw body>");
    }
    const workspaceParam = queryValue(query, "workspace");
    const workspaceId = workspaceParam === undefined ? this.workspace.id : validWorkspace(workspaceParam);
    if (!workspaceId) throw IngestError.invalid([{ field: "workspace", message: "is not a workspace id" }]);
    return this.recordCallback.execute("social", mapSocialWebhook(jsonObjectBody(body), workspaceId));
  }
}
