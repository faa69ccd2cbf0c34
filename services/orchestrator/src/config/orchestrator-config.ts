import { z } from "zod";

const jsonOf = <T extends z.ZodType>(schema: T, example: string) =>
  z
    .string()
    .default("{}")
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `expected JSON such as ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

const httpTargetSchema = z.object({ baseUrl: z.url(), headers: z.record(z.string(), z.string()).optional() });

/** The orchestrator's own settings (ORCHESTRATOR_*), parsed once at start. */
export const orchestratorConfigSchema = z.object({
  /** `system` in production; `adjustable` adds POST /orchestrator/admin/clock/advance (tests that spawn the process). */
  ORCHESTRATOR_CLOCK: z.enum(["system", "adjustable"]).default("system"),
  /** How often the timer poller looks for due timers and tasks. */
  ORCHESTRATOR_TIMER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Timers fired per transaction. */
  ORCHESTRATOR_TIMER_BATCH: z.coerce.number().int().min(1).max(5_000).default(100),
  /**
   * Transactions firing timers at once in one process (each claims its own batch with SKIP LOCKED). More than
   * one keeps lateness low when many timers come due together; keep it below the database pool size.
   */
  ORCHESTRATOR_TIMER_WORKERS: z.coerce.number().int().min(1).max(32).default(4),
  /**
   * How long an email / SMS node waits for the contact's address when the contact projection has none yet
   * (a `track` that starts a run right after the `identify` that gave the address). 0: never wait.
   */
  ORCHESTRATOR_ADDRESS_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** How long a claimed task (HTTP / CRM / database) is hidden from other replicas before it is retried. */
  ORCHESTRATOR_TASK_LEASE_MS: z.coerce.number().int().min(1_000).default(120_000),
  ORCHESTRATOR_TASK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /** Default retry policy of integration nodes (a node's `config.retry` overrides it). */
  ORCHESTRATOR_RETRY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  ORCHESTRATOR_RETRY_INITIAL_DELAY_MS: z.coerce.number().int().min(0).default(1_000),
  ORCHESTRATOR_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
  /** Hosts, IPs or CIDRs that HTTP nodes may reach even though they are private / loopback, comma-separated. */
  ORCHESTRATOR_HTTP_ALLOWLIST: z
    .string()
    .default("")
    .transform((raw) =>
      raw
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    ),
  /** Internal recipients of notification_send by team: {"sales":["sales@acme.test"]}. */
  ORCHESTRATOR_TEAMS: jsonOf(z.record(z.string(), z.array(z.email())), '{"sales":["sales@acme.test"]}'),
  /** Connected apps of external_api nodes: {"cms":{"baseUrl":"https://cms.example/api"}}. */
  ORCHESTRATOR_CONNECTIONS: jsonOf(
    z.record(z.string(), httpTargetSchema),
    '{"cms":{"baseUrl":"https://cms.example/api"}}',
  ),
  /** CRM providers served by the generic REST adapter; others use the built-in adapter (Cascade contacts). */
  ORCHESTRATOR_CRM: jsonOf(z.record(z.string(), httpTargetSchema), '{"hubspot":{"baseUrl":"https://crm.example/api"}}'),
  /** Read-only PostgreSQL connections of database_query nodes: {"warehouse":"postgres://reader@db/warehouse"}. */
  ORCHESTRATOR_DATABASES: jsonOf(
    z.record(z.string(), z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")),
    '{"dw":"postgres://reader@db/dw"}',
  ),
  /** Signing secrets of webhook_call nodes by name. */
  ORCHESTRATOR_SECRETS: jsonOf(z.record(z.string(), z.string().min(1)), '{"community":"s3cret"}'),
  /** Where notification_send posts slack / in_app notifications. */
  ORCHESTRATOR_NOTIFICATION_WEBHOOK_URL: z.url().optional(),
});

export type OrchestratorConfigValues = z.output<typeof orchestratorConfigSchema>;

/** Injection token of the parsed configuration. */
export class OrchestratorConfig {
  constructor(readonly values: OrchestratorConfigValues) {}
}
