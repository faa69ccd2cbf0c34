import {
  Body,
  Controller,
  Get,
  Inject,
  Put,
  Query,
  UseGuards,
  Post,
  Param,
  BadRequestException,
  NotFoundException,
} from "@nestjs/common";
import { DEFAULT_WORKSPACE, type DefaultWorkspace } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { z } from "zod";
import { CLOCK, type Clock } from "../clock.js";
import { EMAIL_CONFIG, type EmailConfig } from "../config/email-config.js";
import { listOutboxMails, type OutboxMail } from "../providers/outbox.provider.js";
import { ProviderRegistry } from "../providers/provider-registry.js";
import { providerSettingsBody } from "../providers/provider-settings.js";
import { ProviderSettingsRepository } from "../providers/provider-settings.repository.js";
import { SendLedgerRepository } from "../sending/send-ledger.repository.js";
import { TemplateRenderError, TemplateRenderer, type RenderedContent } from "../templates/template-renderer.js";
import { TemplatesRepository, type TemplateVersion } from "../templates/templates.repository.js";
import { WorkspaceSettings, type WorkspaceEmailSettings } from "../settings/workspace-settings.js";
import { PartialsCache } from "../templates/partials-cache.js";
import { AdminKeyGuard } from "./admin-key.guard.js";
import { parseBody } from "./parse-body.js";

const templateBody = z.object({
  kind: z.enum(["message", "partial", "layout"]).default("message"),
  subject: z.string().max(998).default(""),
  html: z.string().max(1_000_000).default(""),
  text: z.string().max(1_000_000).optional(),
  layoutId: z.string().min(1).optional(),
});

const previewBody = z.object({
  templateId: z.string().min(1).optional(),
  version: z.number().int().positive().optional(),
  subject: z.string().optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  /** The sample contact and variables the preview is rendered with. */
  variables: z.record(z.string(), z.unknown()).default({}),
});

const settingsBody = z.object({ trackingEnabled: z.boolean() }).strict();

const limitQuery = z.coerce.number().int().min(1).max(500).default(50);

/** The studio's email API (admin key): outbox, provider settings, templates and previews, sends needing attention. */
@Controller("api/email")
@UseGuards(AdminKeyGuard)
export class EmailAdminController {
  private readonly settings = new ProviderSettingsRepository();
  private readonly templates = new TemplatesRepository();
  private readonly ledger = new SendLedgerRepository();
  private readonly renderer: TemplateRenderer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    @Inject(DEFAULT_WORKSPACE) private readonly workspace: DefaultWorkspace,
    @Inject(EMAIL_CONFIG) config: EmailConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workspaceSettings: WorkspaceSettings,
    private readonly partialsCache: PartialsCache,
  ) {
    this.renderer = new TemplateRenderer({ assetBaseUrl: config.EMAIL_ASSET_BASE_URL });
  }

  /** Recent mails of the built-in outbox (embedded mode without a provider), rendered html and text. */
  @Get("outbox")
  async outbox(@Query("limit") limit?: string): Promise<{ mails: OutboxMail[] }> {
    return { mails: await listOutboxMails(this.dataSource, this.workspace.id, parseBody(limitQuery, limit ?? "50")) };
  }

  @Get("providers")
  async getProviders(): Promise<{ providers: unknown[] }> {
    return { providers: await this.settings.describe(this.dataSource.manager, this.workspace.id) };
  }

  /** Replaces the workspace's providers; secrets are encrypted at rest (needs EMAIL_SECRETS_KEY). */
  @Put("providers")
  async putProviders(@Body() body: unknown): Promise<{ providers: unknown[] }> {
    const parsed = parseBody(providerSettingsBody, body);
    const hasSecrets = [parsed.primary, parsed.secondary].some((spec) => spec && Object.keys(spec.secrets).length > 0);
    if (hasSecrets && !this.providers.secretBox)
      throw new BadRequestException("EMAIL_SECRETS_KEY is not set: provider secrets cannot be stored encrypted");
    const specs = [
      { position: "primary" as const, spec: parsed.primary },
      ...(parsed.secondary ? [{ position: "secondary" as const, spec: parsed.secondary }] : []),
    ];
    await this.dataSource.transaction((manager) =>
      this.settings.replace(manager, this.providers.secretBox, this.workspace.id, specs, this.clock.now()),
    );
    this.providers.invalidate(this.workspace.id);
    return this.getProviders();
  }

  @Get("settings")
  async getSettings(): Promise<WorkspaceEmailSettings> {
    return this.workspaceSettings.get(this.workspace.id);
  }

  /** The workspace's email settings: `trackingEnabled: false` sends mail without the open pixel and tracked links. */
  @Put("settings")
  async putSettings(@Body() body: unknown): Promise<WorkspaceEmailSettings> {
    const settings = parseBody(settingsBody, body);
    await this.dataSource.transaction((manager) =>
      this.workspaceSettings.put(manager, this.workspace.id, settings, this.clock.now()),
    );
    return this.workspaceSettings.get(this.workspace.id);
  }

  /** Adds a new version of a template (message, partial or layout); versions are immutable. */
  @Post("templates/:templateId/versions")
  async addTemplateVersion(@Param("templateId") templateId: string, @Body() body: unknown): Promise<TemplateVersion> {
    const draft = parseBody(templateBody, body);
    const version = await this.dataSource.transaction((manager) =>
      this.templates.addVersion(
        manager,
        this.workspace.id,
        {
          templateId,
          kind: draft.kind,
          subject: draft.subject,
          html: draft.html,
          text: draft.text ?? null,
          layoutId: draft.layoutId ?? null,
        },
        this.clock.now(),
      ),
    );
    if (version.kind === "partial") this.partialsCache.invalidate(this.workspace.id);
    return version;
  }

  @Get("templates/:templateId")
  async getTemplate(
    @Param("templateId") templateId: string,
    @Query("version") version?: string,
  ): Promise<TemplateVersion> {
    const template = await this.templates.find(
      this.dataSource.manager,
      this.workspace.id,
      templateId,
      version ? Number(version) : undefined,
    );
    if (!template) throw new NotFoundException(`no template ${templateId}${version ? ` version ${version}` : ""}`);
    return template;
  }

  /** Renders a stored template or inline content with a sample contact; a render error is a 422 with the reason. */
  @Post("render")
  async render(@Body() body: unknown): Promise<RenderedContent> {
    const input = parseBody(previewBody, body);
    const manager = this.dataSource.manager;
    const template = input.templateId
      ? await this.templates.find(manager, this.workspace.id, input.templateId, input.version)
      : undefined;
    if (input.templateId && !template) throw new NotFoundException(`no template ${input.templateId}`);
    const layout = template?.layoutId
      ? await this.templates.find(manager, this.workspace.id, template.layoutId)
      : undefined;
    try {
      return await this.renderer.render(
        {
          subject: input.subject ?? template?.subject ?? "",
          html: input.html ?? template?.html ?? "",
          text: input.text ?? template?.text ?? undefined,
          layout: layout?.html,
          partials: await this.templates.partials(manager, this.workspace.id),
        },
        {
          ...input.variables,
          contact: input.variables["contact"] ?? {},
          event: input.variables["event"] ?? {},
          run: input.variables["run"] ?? {},
        },
      );
    } catch (error) {
      if (error instanceof TemplateRenderError)
        throw new BadRequestException({
          statusCode: 400,
          error: "Render Error",
          code: error.code,
          message: error.message,
        });
      throw error;
    }
  }

  /** Sends in a given state, e.g. `unknown` (in flight at a crash, provider cannot be asked): they need a human. */
  @Get("sends")
  async sends(@Query("state") state = "unknown", @Query("limit") limit?: string): Promise<{ sends: unknown[] }> {
    const parsedState = parseBody(z.enum(["sending", "sent", "failed", "deferred", "skipped", "unknown"]), state);
    const records = await this.ledger.listByState(
      this.dataSource.manager,
      this.workspace.id,
      parsedState,
      parseBody(limitQuery, limit ?? "50"),
    );
    return {
      sends: records.map(({ request: _request, ...record }) => record),
    };
  }
}
