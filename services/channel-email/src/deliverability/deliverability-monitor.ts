import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { OutcomeStatus, Topics } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { MetricsRegistry } from "@cascade/observability";
import { OutboxRelays } from "@cascade/runtime";
import type { Gauge } from "prom-client";
import { DataSource } from "typeorm";
import { CLOCK, type Clock } from "../clock.js";
import { EMAIL_CONFIG, type EmailConfig } from "../config/email-config.js";
import { emailOutcome } from "../sending/outcome-factory.js";
import { returnedRows } from "@cascade/compliance";
import { SCHEMA } from "../sending/use-cases/send-email.use-case.js";

export interface DeliverabilityRow {
  workspaceId: string;
  provider: string;
  sendingDomain: string;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
}

export type AlertKind = "bounce_rate" | "complaint_rate";

/** Which thresholds a window's figures pass (rates over `sent`, only with at least `minSample` sends). */
export function breaches(
  row: DeliverabilityRow,
  limits: { bounceRate: number; complaintRate: number; minSample: number },
): AlertKind[] {
  if (row.sent < limits.minSample || row.sent === 0) return [];
  const kinds: AlertKind[] = [];
  if (row.bounced / row.sent > limits.bounceRate) kinds.push("bounce_rate");
  if (row.complained / row.sent > limits.complaintRate) kinds.push("complaint_rate");
  return kinds;
}

/**
 * Deliverability per (workspace, provider, sending domain) over a sliding window (EMAIL_DELIVERABILITY_WINDOW of
 * sends by sent_at): delivered / bounced / complained rates as Prometheus gauges, and an ALERT outcome when the
 * bounce rate passes EMAIL_BOUNCE_ALERT_RATE or the complaint rate EMAIL_COMPLAINT_ALERT_RATE (with at least
 * EMAIL_DELIVERABILITY_MIN_SAMPLE sends), at most once per window per (workspace, provider, domain, kind), across replicas.
 */
@Injectable()
export class DeliverabilityMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger("channel-email:deliverability");
  private readonly outbox = new Outbox(SCHEMA);
  private readonly gauges: Record<
    "sent" | "delivered" | "bounce" | "complaint",
    Gauge<"workspace" | "provider" | "sending_domain">
  >;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    metrics: MetricsRegistry,
    @Inject(EMAIL_CONFIG) private readonly config: EmailConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const labelNames = ["workspace", "provider", "sending_domain"] as const;
    this.gauges = {
      sent: metrics.gauge({
        name: "cascade_email_window_sent",
        help: "Emails accepted by the provider within the deliverability window",
        labelNames,
      }),
      delivered: metrics.gauge({
        name: "cascade_email_delivered_rate",
        help: "Delivered / sent within the deliverability window",
        labelNames,
      }),
      bounce: metrics.gauge({
        name: "cascade_email_bounce_rate",
        help: "Bounced / sent within the deliverability window",
        labelNames,
      }),
      complaint: metrics.gauge({
        name: "cascade_email_complaint_rate",
        help: "Complaints / sent within the deliverability window",
        labelNames,
      }),
    };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: unknown) =>
          this.logger.error(`deliverability check failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => (this.running = undefined));
    }, this.config.EMAIL_DELIVERABILITY_INTERVAL);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One check: refreshes the gauges and raises due alerts. Public so tests drive it. */
  async runOnce(): Promise<{ rows: DeliverabilityRow[]; alerts: Array<{ row: DeliverabilityRow; kind: AlertKind }> }> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - this.config.EMAIL_DELIVERABILITY_WINDOW);
    const rows = (
      (await this.dataSource.query(
        `SELECT workspace_id, provider, COALESCE(sending_domain, '') AS sending_domain, count(*)::int AS sent, count(delivered_at)::int AS delivered,
              count(bounced_at)::int AS bounced, count(complained_at)::int AS complained
       FROM channel_email.send_ledger WHERE sent_at > $1 AND sent_at <= $2 AND provider IS NOT NULL
       GROUP BY 1, 2, 3`,
        [since, now],
      )) as Array<{
        workspace_id: string;
        provider: string;
        sending_domain: string;
        sent: number;
        delivered: number;
        bounced: number;
        complained: number;
      }>
    ).map((row): DeliverabilityRow => ({
      workspaceId: row.workspace_id,
      provider: row.provider,
      sendingDomain: row.sending_domain,
      sent: row.sent,
      delivered: row.delivered,
      bounced: row.bounced,
      complained: row.complained,
    }));
    for (const gauge of Object.values(this.gauges)) gauge.reset();
    const limits = {
      bounceRate: this.config.EMAIL_BOUNCE_ALERT_RATE,
      complaintRate: this.config.EMAIL_COMPLAINT_ALERT_RATE,
      minSample: this.config.EMAIL_DELIVERABILITY_MIN_SAMPLE,
    };
    const alerts: Array<{ row: DeliverabilityRow; kind: AlertKind }> = [];
    for (const row of rows) {
      const labels = { workspace: row.workspaceId, provider: row.provider, sending_domain: row.sendingDomain };
      this.gauges.sent.set(labels, row.sent);
      this.gauges.delivered.set(labels, row.delivered / row.sent);
      this.gauges.bounce.set(labels, row.bounced / row.sent);
      this.gauges.complaint.set(labels, row.complained / row.sent);
      for (const kind of breaches(row, limits)) if (await this.alert(row, kind, now, since)) alerts.push({ row, kind });
    }
    if (alerts.length > 0) this.relays.notify(SCHEMA);
    return { rows, alerts };
  }

  /** Records the alert unless one was raised within the window, and publishes the ALERT outcome with it. */
  private async alert(row: DeliverabilityRow, kind: AlertKind, now: Date, windowStart: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = returnedRows(
        await manager.query(
          `INSERT INTO channel_email.deliverability_alerts AS a (workspace_id, provider, sending_domain, kind, alerted_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace_id, provider, sending_domain, kind) DO UPDATE SET alerted_at = EXCLUDED.alerted_at WHERE a.alerted_at <= $6
           RETURNING 1`,
          [row.workspaceId, row.provider, row.sendingDomain, kind, now, windowStart],
        ),
      );
      if (claimed.length === 0) return false;
      const rate = kind === "bounce_rate" ? row.bounced / row.sent : row.complained / row.sent;
      const threshold =
        kind === "bounce_rate" ? this.config.EMAIL_BOUNCE_ALERT_RATE : this.config.EMAIL_COMPLAINT_ALERT_RATE;
      const outcome = emailOutcome(
        {
          workspaceId: row.workspaceId,
          idempotencyKey: `deliverability:${row.provider}:${row.sendingDomain}:${kind}:${now.toISOString()}`,
          contactId: "",
        },
        {
          status: OutcomeStatus.ALERT,
          reason: `deliverability:${kind}`,
          provider: row.provider,
          details: {
            sending_domain: row.sendingDomain,
            rate,
            threshold,
            sent: row.sent,
            bounced: row.bounced,
            complained: row.complained,
            delivered: row.delivered,
            window_ms: this.config.EMAIL_DELIVERABILITY_WINDOW,
          },
        },
        now,
      );
      await this.outbox.add(manager, Topics.OutcomesV1, [{ value: outcome }]);
      this.logger.warn(
        `deliverability alert ${kind} for ${row.provider} ${row.sendingDomain} in ${row.workspaceId}: ${(rate * 100).toFixed(2)} % of ${row.sent}`,
      );
      return true;
    });
  }
}
