import { Injectable } from "@nestjs/common";
import { MetricsRegistry } from "@cascade/observability";
import type { Counter } from "prom-client";

/** The triggers service's Prometheus metrics. */
@Injectable()
export class TriggersMetrics {
  /** Messages skipped because a field triggers need is missing (label `reason`). */
  readonly skipped: Counter<"topic" | "reason">;
  /** StartRun commands sent (label `kind`: event, behavioral, webhook, predictive, cron, date_property, manual). */
  readonly started: Counter<"kind">;
  /** Starts refused by an entry rule (label `reason`: excluded, frequency_limited). */
  readonly refusedEntries: Counter<"reason">;
  /** Window outcomes of behavioural counting (fired, counted, too_late, duplicate). */
  readonly windowOutcomes: Counter<"outcome">;
  /** CancelRun commands sent for goal / exit conditions (label `reason`). */
  readonly cancels: Counter<"reason">;
  /** Published definitions refused (invalid definition or filter). */
  readonly refusedDefinitions: Counter<string>;
  /** Scheduled firings not fired because they were older than the catch-up window (label `kind`). */
  readonly missedFirings: Counter<"kind">;

  constructor(registry: MetricsRegistry) {
    this.skipped = registry.counter({
      name: "triggers_messages_skipped_total",
      help: "Messages skipped by the triggers service, by reason",
      labelNames: ["topic", "reason"],
    });
    this.started = registry.counter({
      name: "triggers_runs_started_total",
      help: "StartRun commands sent, by trigger kind",
      labelNames: ["kind"],
    });
    this.refusedEntries = registry.counter({
      name: "triggers_entries_refused_total",
      help: "Starts refused by entry rules",
      labelNames: ["reason"],
    });
    this.windowOutcomes = registry.counter({
      name: "triggers_window_outcomes_total",
      help: "Behavioural window outcomes",
      labelNames: ["outcome"],
    });
    this.cancels = registry.counter({
      name: "triggers_runs_cancelled_total",
      help: "CancelRun commands sent for goal / exit conditions",
      labelNames: ["reason"],
    });
    this.refusedDefinitions = registry.counter({
      name: "triggers_definitions_refused_total",
      help: "Published workflow versions refused at publish time",
    });
    this.missedFirings = registry.counter({
      name: "triggers_firings_missed_total",
      help: "Scheduled firings older than the catch-up window, not fired",
      labelNames: ["kind"],
    });
  }
}
