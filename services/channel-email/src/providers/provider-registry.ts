import { Inject, Injectable, type OnModuleDestroy } from "@nestjs/common";
import { DataSource } from "typeorm";
import { CLOCK, type Clock } from "../clock.js";
import { EMAIL_CONFIG, type EmailConfig, type ProviderKind } from "../config/email-config.js";
import type { EmailProvider } from "./email-provider.js";
import { MailgunProvider } from "./mailgun.provider.js";
import { OutboxProvider } from "./outbox.provider.js";
import { providerSpecSchema, type ProviderSpec } from "./provider-settings.js";
import { ProviderSettingsRepository } from "./provider-settings.repository.js";
import { SecretBox } from "./secret-box.js";
import { SendGridProvider } from "./sendgrid.provider.js";
import { SesProvider } from "./ses.provider.js";
import { SmtpProvider } from "./smtp.provider.js";

/** How long a replica trusts its cached provider list before re-reading the workspace's settings. */
const CACHE_TTL_MS = 10_000;

interface CachedProviders {
  providers: EmailProvider[];
  loadedAt: number;
}

/**
 * The providers a workspace sends through, in failover order: its stored settings (primary, secondary), else
 * the EMAIL_PROVIDER / EMAIL_SECONDARY_PROVIDER defaults, else the built-in outbox.
 */
@Injectable()
export class ProviderRegistry implements OnModuleDestroy {
  private readonly cache = new Map<string, CachedProviders>();
  private readonly settings = new ProviderSettingsRepository();
  readonly secretBox: SecretBox | undefined;
  private readonly outbox: OutboxProvider;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.secretBox = config.EMAIL_SECRETS_KEY ? new SecretBox(config.EMAIL_SECRETS_KEY) : undefined;
    this.outbox = new OutboxProvider(dataSource, clock);
  }

  async providersFor(workspaceId: string): Promise<EmailProvider[]> {
    const cached = this.cache.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < CACHE_TTL_MS) return cached.providers;
    const stored = await this.settings.list(this.dataSource.manager, this.secretBox, workspaceId);
    const specs = stored.length > 0 ? stored.map((entry) => entry.spec) : this.defaultSpecs();
    const providers = specs.length > 0 ? specs.map((spec) => this.build(spec)) : [this.outbox];
    this.close(cached);
    this.cache.set(workspaceId, { providers, loadedAt: Date.now() });
    return providers;
  }

  /** The provider named `kind` for a workspace (reconciliation asks the one that sent). */
  async provider(workspaceId: string, kind: string): Promise<EmailProvider | undefined> {
    if (kind === "outbox") return this.outbox;
    return (await this.providersFor(workspaceId)).find((provider) => provider.kind === kind);
  }

  /** Forget a workspace's cached providers (after its settings changed). */
  invalidate(workspaceId: string): void {
    this.close(this.cache.get(workspaceId));
    this.cache.delete(workspaceId);
  }

  onModuleDestroy(): void {
    for (const entry of this.cache.values()) this.close(entry);
    this.cache.clear();
  }

  private close(entry: CachedProviders | undefined): void {
    for (const provider of entry?.providers ?? []) if (provider instanceof SmtpProvider) provider.close();
  }

  private build(spec: ProviderSpec): EmailProvider {
    const timeoutMs = this.config.EMAIL_PROVIDER_TIMEOUT_MS;
    const defaultRate = this.config.EMAIL_PROVIDER_RATE_PER_SECOND;
    switch (spec.kind) {
      case "mailgun":
        return new MailgunProvider({
          apiKey: spec.secrets.apiKey,
          domain: spec.settings.domain,
          baseUrl: spec.settings.baseUrl ?? this.config.EMAIL_MAILGUN_BASE_URL,
          timeoutMs,
          ratePerSecond: spec.settings.ratePerSecond ?? defaultRate,
        });
      case "sendgrid":
        return new SendGridProvider({
          apiKey: spec.secrets.apiKey,
          baseUrl: spec.settings.baseUrl ?? this.config.EMAIL_SENDGRID_BASE_URL,
          timeoutMs,
          ratePerSecond: spec.settings.ratePerSecond ?? defaultRate,
        });
      case "ses":
        return new SesProvider({
          region: spec.settings.region,
          endpoint: spec.settings.endpoint,
          accessKeyId: spec.secrets.accessKeyId,
          secretAccessKey: spec.secrets.secretAccessKey,
          timeoutMs,
          ratePerSecond: spec.settings.ratePerSecond ?? defaultRate,
        });
      case "smtp":
        return new SmtpProvider({
          url: spec.secrets.url,
          timeoutMs,
          ratePerSecond: spec.settings.ratePerSecond ?? defaultRate,
        });
      case "outbox":
        return this.outbox;
    }
  }

  /** Provider specs from the environment; a configured kind with missing credentials is a clear error. */
  private defaultSpecs(): ProviderSpec[] {
    const kinds = [this.config.EMAIL_PROVIDER, this.config.EMAIL_SECONDARY_PROVIDER].filter(
      (kind): kind is ProviderKind => kind !== undefined,
    );
    return kinds.map((kind) => {
      const candidate = this.envSpec(kind);
      const parsed = providerSpecSchema.safeParse(candidate);
      if (!parsed.success) {
        throw new Error(
          `EMAIL_PROVIDER=${kind} is missing settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
      }
      return parsed.data;
    });
  }

  private envSpec(kind: ProviderKind): unknown {
    const c = this.config;
    switch (kind) {
      case "mailgun":
        return {
          kind,
          settings: { domain: c.EMAIL_MAILGUN_DOMAIN, baseUrl: c.EMAIL_MAILGUN_BASE_URL },
          secrets: { apiKey: c.EMAIL_MAILGUN_API_KEY },
        };
      case "sendgrid":
        return {
          kind,
          settings: { baseUrl: c.EMAIL_SENDGRID_BASE_URL },
          secrets: { apiKey: c.EMAIL_SENDGRID_API_KEY },
        };
      case "ses":
        return {
          kind,
          settings: { region: c.EMAIL_SES_REGION, endpoint: c.EMAIL_SES_ENDPOINT },
          secrets: { accessKeyId: c.EMAIL_SES_ACCESS_KEY_ID, secretAccessKey: c.EMAIL_SES_SECRET_ACCESS_KEY },
        };
      case "smtp":
        return { kind, settings: {}, secrets: { url: c.EMAIL_SMTP_URL } };
      case "outbox":
        return { kind, settings: {}, secrets: {} };
    }
  }
}
