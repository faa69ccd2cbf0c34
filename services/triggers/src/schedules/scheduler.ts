import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from "@nestjs/common";
import { Topics, type WorkflowCommand } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { TriggersConfig } from "../config/triggers.config.js";
import { ContactProjectionRepository } from "../contacts/contact-projection.repository.js";
import { TriggerRegistry } from "../definitions/trigger-registry.js";
import { RunStarter } from "../entry/run-starter.js";
import type { CronTrigger, DatePropertyTrigger } from "../matching/compiled-trigger.js";
import { unknownContact, type ContactView } from "../matching/evaluation-context.js";
import { holds } from "../matching/event-matcher.js";
import { TRIGGERS_SCHEMA } from "../shared/constants.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { planCronFiring } from "./cron-schedule.js";
import { SchedulesRepository, type DueCron, type DueDate } from "./schedules.repository.js";

const CLAIM_BATCH = 50;
/** Rounds per run at most, so rows left for later (see fireCron) cannot keep a run going. */
const MAX_ROUNDS = 20;

/**
 * Fires time-based triggers durably. Each round claims due schedules with FOR UPDATE SKIP LOCKED (replicas never
 * wait for each other and never claim the same row), records every firing under the unique
 * (trigger, scheduled_for, contact) key — a firing that exists is never repeated — and writes the StartRun
 * commands to the outbox in the same transaction.
 *
 * Catch-up policy after downtime (TRIGGERS_CATCH_UP_WINDOW, default 24h): a cron trigger fires its most recent
 * missed tick once, if that tick is within the window; older missed ticks are counted as missed. A date-property
 * firing that became due while nothing ran fires late if within the window, else it is recorded as `missed`.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(Scheduler.name);
  private readonly schedules = new SchedulesRepository();
  private readonly contacts = new ContactProjectionRepository();
  private readonly outbox = new Outbox(TRIGGERS_SCHEMA);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly registry: TriggerRegistry,
    private readonly starter: RunStarter,
    private readonly config: TriggersConfig,
    private readonly metrics: TriggersMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.schedulerEnabled) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce(new Date())
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ msg: "scheduler round failed", err: error }))
        .finally(() => this.schedule());
    }, this.config.schedulerIntervalMs);
    this.timer.unref();
  }

  /**
   * One run: fires what is due at `now` (optionally of one workspace only, e.g. in tests). Returns the number
   * of StartRun commands written.
   */
  async runOnce(now: Date, options: { workspaceId?: string } = {}): Promise<number> {
    let started = 0;
    for (let rounds = 0; rounds < MAX_ROUNDS; rounds++) {
      const round = await this.dataSource.transaction(async (manager) => {
        const commands: WorkflowCommand[] = [];
        const crons = await this.schedules.claimDueCron(manager, now, CLAIM_BATCH, options.workspaceId);
        for (const due of crons) commands.push(...(await this.fireCron(manager, due, now)));
        const dates = await this.schedules.claimDueDates(manager, now, CLAIM_BATCH, options.workspaceId);
        for (const due of dates) commands.push(...(await this.fireDate(manager, due, now)));
        if (commands.length > 0)
          await this.outbox.add(
            manager,
            Topics.WorkflowCommandsV1,
            commands.map((value) => ({ value })),
          );
        return { commands: commands.length, claimed: crons.length + dates.length };
      });
      started += round.commands;
      if (round.commands > 0) this.relays.notify(TRIGGERS_SCHEMA);
      if (round.claimed < CLAIM_BATCH) break;
    }
    return started;
  }

  private async fireCron(manager: EntityManager, due: DueCron, now: Date): Promise<WorkflowCommand[]> {
    const trigger = this.registry.index
      .workflow(due.workspace_id, due.workflow_id)
      ?.triggers.find((t) => t.key === due.trigger_key);
    if (trigger?.kind !== "cron") {
      // This replica's index has not caught up with the definition yet: leave the tick for a later round.
      this.log.warn({
        msg: "cron schedule without an indexed trigger; tick left for a later round",
        triggerKey: due.trigger_key,
      });
      return [];
    }
    const plan = planCronFiring(due.cron, due.timezone, due.next_fire_at, now, this.config.catchUpWindowMs);
    if (plan.missed > 0) {
      this.metrics.missedFirings.inc({ kind: "cron" }, plan.missed);
      this.log.warn({
        msg: "cron ticks missed (older than the catch-up window or superseded)",
        triggerKey: due.trigger_key,
        missed: plan.missed,
      });
    }
    await this.schedules.moveCron(manager, due, plan.next);
    if (!plan.fire) return [];
    const commands: WorkflowCommand[] = [];
    for await (const page of this.contacts.all(manager, due.workspace_id)) {
      for (const contact of page) {
        const command = await this.fireFor(manager, trigger, contact, plan.fire);
        if (command) commands.push(command);
      }
    }
    return commands;
  }

  private async fireDate(manager: EntityManager, due: DueDate, now: Date): Promise<WorkflowCommand[]> {
    const trigger = this.registry.index
      .workflow(due.workspace_id, due.workflow_id)
      ?.triggers.find((t) => t.key === due.trigger_key);
    // Not indexed here yet: leave the row for a later round (an archived workflow's rows are deleted with it).
    if (trigger?.kind !== "date_property") return [];
    await this.schedules.deleteDate(manager, due);
    const firing = {
      workspaceId: due.workspace_id,
      triggerKey: due.trigger_key,
      scheduledFor: due.fire_at,
      contactId: due.contact_id,
    };
    if (now.getTime() - due.fire_at.getTime() > this.config.catchUpWindowMs) {
      if (await this.schedules.recordFiring(manager, { ...firing, outcome: "missed" }))
        this.metrics.missedFirings.inc({ kind: "date_property" });
      return [];
    }
    const contact =
      (await this.contacts.find(manager, due.workspace_id, due.contact_id)) ?? unknownContact(due.contact_id);
    const command = await this.fireFor(manager, trigger, contact, due.fire_at);
    return command ? [command] : [];
  }

  /** Fires one (trigger, scheduled time, contact) at most once: audience, firing record, entry rules. */
  private async fireFor(
    manager: EntityManager,
    trigger: CronTrigger | DatePropertyTrigger,
    contact: ContactView,
    scheduledFor: Date,
  ): Promise<WorkflowCommand | undefined> {
    if (!holds(trigger.audience, { contact }, scheduledFor)) return undefined;
    const firing = {
      workspaceId: trigger.workflow.workspaceId,
      triggerKey: trigger.key,
      scheduledFor,
      contactId: contact.id,
    };
    if (!(await this.schedules.recordFiring(manager, { ...firing, outcome: "pending" }))) return undefined;
    const command = await this.starter.start(manager, {
      workflow: trigger.workflow,
      trigger,
      kind: trigger.kind,
      triggerId: trigger.nodeId,
      contactId: contact.id,
      contact,
      at: scheduledFor,
      causeId: `${trigger.key}@${scheduledFor.toISOString()}`,
      payload: { scheduled_for: scheduledFor.toISOString(), trigger: trigger.kind },
    });
    await this.schedules.setFiringOutcome(manager, { ...firing, outcome: command ? "started" : "refused" });
    return command;
  }
}
