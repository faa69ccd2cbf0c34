import { createHmac } from "node:crypto";
import Handlebars from "handlebars";
import { evaluate, type ValueSource, type WorkflowNode } from "@cascade/workflow";
import type { CompiledDefinition } from "../engine/compiled-definition.js";
import type { RunErrorInfo, RunIdentity, TaskResult } from "../engine/engine-types.js";
import type { OrchestratorConfigValues } from "../config/orchestrator-config.js";
import { builtInCrmAdapter, RestCrmAdapter, type CrmAdapter } from "./crm-adapters.js";
import { QueryRunnerPool } from "./database-query.js";
import { HttpCallError, HttpClient } from "./http-client.js";
import { SsrfGuard } from "./ssrf-guard.js";

export type TaskOutcome =
  | { readonly ok: true; readonly result: TaskResult; readonly broadcastKey?: string }
  | { readonly ok: false; readonly error: RunErrorInfo };

export interface TaskRequest {
  readonly run: RunIdentity;
  readonly definition: CompiledDefinition;
  readonly node: WorkflowNode;
  /** The expression / template context of the run at this step. */
  readonly context: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly now: Date;
  /** True when a once-per-workflow effect of this node was already performed by another run. */
  readonly broadcastDone: (key: string) => Promise<boolean>;
}

/** Does the external work of integration nodes: HTTP calls, CRM adapters, read-only database queries. */
export class TaskExecutor {
  readonly http: HttpClient;
  private readonly queries: QueryRunnerPool;
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly config: OrchestratorConfigValues) {
    this.http = new HttpClient(new SsrfGuard(config.ORCHESTRATOR_HTTP_ALLOWLIST));
    this.queries = new QueryRunnerPool(config.ORCHESTRATOR_DATABASES);
  }

  async execute(request: TaskRequest): Promise<TaskOutcome> {
    try {
      return await this.run(request);
    } catch (error) {
      if (error instanceof HttpCallError)
        return { ok: false, error: { code: error.code, message: error.message, retryable: error.retryable } };
      return {
        ok: false,
        error: { code: "TASK_ERROR", message: error instanceof Error ? error.message : String(error), retryable: true },
      };
    }
  }

  async close(): Promise<void> {
    await this.queries.close();
  }

  private async run(request: TaskRequest): Promise<TaskOutcome> {
    const { node, context, idempotencyKey } = request;
    const idempotency = { "idempotency-key": idempotencyKey };
    switch (node.kind) {
      case "api_call": {
        const { config } = node;
        const headers = Object.fromEntries(
          Object.entries(config.headers ?? {}).map(([name, value]) => [name, this.render(value, context)]),
        );
        const response = await this.http.call({
          method: config.method,
          url: this.render(config.url, context),
          headers: {
            ...(config.body !== undefined ? { "content-type": "application/json" } : {}),
            ...headers,
            ...idempotency,
          },
          body: config.body === undefined ? undefined : this.render(config.body, context),
          timeoutMs: config.timeoutMs,
        });
        return {
          ok: true,
          result: { saveAs: config.saveResponseAs, value: { status: response.status, body: response.body } },
        };
      }
      case "webhook_call": {
        const { config } = node;
        const broadcastKey =
          config.once === "workflow" ? `${request.run.workflowId}:v${request.run.version}:${node.id}` : undefined;
        if (broadcastKey && (await request.broadcastDone(broadcastKey))) return { ok: true, result: {} };
        const body = JSON.stringify({
          ...this.values(request, config.payload ?? {}),
          run_id: request.run.runId,
          workflow_id: request.run.workflowId,
          contact_id: request.run.contactId,
        });
        const headers: Record<string, string> = { "content-type": "application/json", ...idempotency };
        if (config.signingSecretRef !== undefined) {
          const secret = this.config.ORCHESTRATOR_SECRETS[config.signingSecretRef];
          if (secret === undefined)
            return fail(
              "SECRET_MISSING",
              `signing secret '${config.signingSecretRef}' is not configured (ORCHESTRATOR_SECRETS)`,
            );
          headers["x-cascade-signature"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
        }
        const response = await this.http.call({
          method: config.method,
          url: config.url,
          headers,
          body,
          timeoutMs: config.timeoutMs,
        });
        return { ok: true, result: { value: { status: response.status } }, broadcastKey };
      }
      case "external_api": {
        const { config } = node;
        const connection = this.config.ORCHESTRATOR_CONNECTIONS[config.connectionId];
        if (!connection)
          return fail(
            "CONNECTION_MISSING",
            `connection '${config.connectionId}' is not configured (ORCHESTRATOR_CONNECTIONS)`,
          );
        const broadcastKey =
          config.once === "workflow" ? `${request.run.workflowId}:v${request.run.version}:${node.id}` : undefined;
        if (broadcastKey && (await request.broadcastDone(broadcastKey))) return { ok: true, result: {} };
        const response = await this.http.call({
          method: "POST",
          url: `${connection.baseUrl.replace(/\/$/, "")}/${encodeURIComponent(config.operation)}`,
          headers: { "content-type": "application/json", ...(connection.headers ?? {}), ...idempotency },
          body: JSON.stringify(this.values(request, config.input ?? {})),
          timeoutMs: 10_000,
        });
        return {
          ok: true,
          result: { saveAs: config.saveResponseAs, value: { status: response.status, body: response.body } },
          broadcastKey,
        };
      }
      case "crm_update":
      case "crm_create": {
        const { config } = node;
        const adapter = this.crmAdapter(config.provider);
        const crmRequest = {
          object: config.object,
          contactId: request.run.contactId,
          fields: this.values(request, config.fields),
          idempotencyKey,
        };
        if (node.kind === "crm_update")
          return { ok: true, result: { traits: (await adapter.update(crmRequest)).traits } };
        const created = await adapter.create(crmRequest);
        return {
          ok: true,
          result: { traits: created.traits, saveAs: node.config.saveIdAs, value: created.recordId ?? null },
        };
      }
      case "database_query": {
        const { config } = node;
        if (!this.queries.has(config.connectionId)) {
          return fail(
            "CONNECTION_MISSING",
            `database connection '${config.connectionId}' is not configured (ORCHESTRATOR_DATABASES)`,
          );
        }
        const parameters = (config.parameters ?? []).map((source) =>
          toParameter(evaluate(request.definition.expression(source), context, { now: request.now })),
        );
        const rows = await this.queries.query(config.connectionId, config.query, parameters);
        return { ok: true, result: { saveAs: config.saveResultAs, value: rows } };
      }
      case "notification_send": {
        const { config } = node;
        const url = this.config.ORCHESTRATOR_NOTIFICATION_WEBHOOK_URL;
        if (url === undefined) {
          return fail(
            "NOTIFICATION_WEBHOOK_MISSING",
            `notification channel '${config.channel}' needs ORCHESTRATOR_NOTIFICATION_WEBHOOK_URL`,
          );
        }
        await this.http.call({
          method: "POST",
          url,
          headers: { "content-type": "application/json", ...idempotency },
          body: JSON.stringify({
            channel: config.channel,
            team: config.team ?? null,
            users: config.users ?? [],
            emails: config.emails ?? [],
            title: config.title === undefined ? null : this.render(config.title, context),
            message: this.render(config.message ?? "", context),
            run_id: request.run.runId,
            contact_id: request.run.contactId,
          }),
          timeoutMs: 10_000,
        });
        return { ok: true, result: {} };
      }
      default:
        return fail("UNSUPPORTED_NODE", `node kind '${node.kind}' has no external work`);
    }
  }

  private crmAdapter(provider: string): CrmAdapter {
    const target = this.config.ORCHESTRATOR_CRM[provider];
    return target ? new RestCrmAdapter(this.http, target.baseUrl, target.headers) : builtInCrmAdapter;
  }

  private values(request: TaskRequest, sources: Readonly<Record<string, ValueSource>>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(sources)) {
      values[name] =
        "value" in source
          ? source.value
          : toParameter(
              evaluate(request.definition.expression(source.expression), request.context, { now: request.now }),
            );
    }
    return values;
  }

  /** Handlebars over the run context (URLs, headers, bodies, messages). */
  private render(template: string, context: Record<string, unknown>): string {
    if (!template.includes("{{")) return template;
    let compiled = this.templates.get(template);
    if (!compiled) {
      compiled = Handlebars.compile(template, { noEscape: true, strict: false });
      if (this.templates.size > 1_000) this.templates.clear();
      this.templates.set(template, compiled);
    }
    return compiled(context);
  }
}

function fail(code: string, message: string): TaskOutcome {
  return { ok: false, error: { code, message, retryable: false } };
}

function toParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toParameter);
  return value;
}
