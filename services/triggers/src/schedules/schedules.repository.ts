import type { EntityManager } from "typeorm";
import type { CompiledWorkflow, CronTrigger, DatePropertyTrigger } from "../matching/compiled-trigger.js";
import type { ContactView } from "../matching/evaluation-context.js";
import { nextTick } from "./cron-schedule.js";
import { dateFiringOf } from "./date-property-schedule.js";

export interface DueCron {
  workspace_id: string;
  trigger_key: string;
  workflow_id: string;
  node_id: string;
  cron: string;
  timezone: string;
  next_fire_at: Date;
}

export interface DueDate {
  workspace_id: string;
  trigger_key: string;
  workflow_id: string;
  contact_id: string;
  fire_at: Date;
}

/**
 * Time-based schedules: the next tick of each cron trigger, the next firing of each (date trigger, contact),
 * and the firing table whose unique (trigger, scheduled_for, contact) key makes every firing happen once.
 */
export class SchedulesRepository {
  /** Creates / updates the cron schedules of a published workflow and drops those of removed triggers. */
  async syncCron(manager: EntityManager, workflow: CompiledWorkflow, now: Date): Promise<void> {
    const crons = workflow.triggers.filter((trigger): trigger is CronTrigger => trigger.kind === "cron");
    await manager.query(
      `DELETE FROM triggers.cron_schedules WHERE workspace_id = $1 AND workflow_id = $2 AND NOT (trigger_key = ANY($3))`,
      [workflow.workspaceId, workflow.workflowId, crons.map((trigger) => trigger.key)],
    );
    for (const trigger of crons) {
      const next = nextTick(trigger.cron, trigger.timezone, now);
      if (!next) continue;
      // An unchanged schedule keeps its pending tick (it may be due and not yet fired).
      await manager.query(
        `INSERT INTO triggers.cron_schedules (workspace_id, trigger_key, workflow_id, node_id, cron, timezone, next_fire_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workspace_id, trigger_key) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,
           next_fire_at = EXCLUDED.next_fire_at
         WHERE triggers.cron_schedules.cron <> EXCLUDED.cron OR triggers.cron_schedules.timezone <> EXCLUDED.timezone`,
        [workflow.workspaceId, trigger.key, workflow.workflowId, trigger.nodeId, trigger.cron, trigger.timezone, next],
      );
    }
  }

  /** Drops the date schedules of triggers the workflow no longer has. */
  async dropRemovedDateTriggers(manager: EntityManager, workflow: CompiledWorkflow): Promise<void> {
    const keys = workflow.triggers.filter((trigger) => trigger.kind === "date_property").map((trigger) => trigger.key);
    await manager.query(
      `DELETE FROM triggers.date_schedules WHERE workspace_id = $1 AND workflow_id = $2 AND NOT (trigger_key = ANY($3))`,
      [workflow.workspaceId, workflow.workflowId, keys],
    );
  }

  async removeWorkflow(manager: EntityManager, workspaceId: string, workflowId: string): Promise<void> {
    await manager.query(`DELETE FROM triggers.cron_schedules WHERE workspace_id = $1 AND workflow_id = $2`, [
      workspaceId,
      workflowId,
    ]);
    await manager.query(`DELETE FROM triggers.date_schedules WHERE workspace_id = $1 AND workflow_id = $2`, [
      workspaceId,
      workflowId,
    ]);
  }

  /**
   * (Re)schedules one contact for a date-property trigger: its next firing when that lies after `knownAt` (the
   * time the date became known), else no schedule (a date already past when it became known is not fired).
   */
  async scheduleContact(
    manager: EntityManager,
    trigger: DatePropertyTrigger,
    contact: ContactView,
    knownAt: Date,
  ): Promise<void> {
    const fireAt = dateFiringOf(trigger, contact);
    const { workspaceId, workflowId } = trigger.workflow;
    if (!fireAt || fireAt.getTime() <= knownAt.getTime()) {
      await manager.query(
        `DELETE FROM triggers.date_schedules WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3`,
        [workspaceId, trigger.key, contact.id],
      );
      return;
    }
    await manager.query(
      `INSERT INTO triggers.date_schedules (workspace_id, trigger_key, workflow_id, contact_id, fire_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, trigger_key, contact_id) DO UPDATE SET fire_at = EXCLUDED.fire_at`,
      [workspaceId, trigger.key, workflowId, contact.id, fireAt],
    );
  }

  async removeContact(manager: EntityManager, workspaceId: string, contactIds: readonly string[]): Promise<void> {
    await manager.query(`DELETE FROM triggers.date_schedules WHERE workspace_id = $1 AND contact_id = ANY($2)`, [
      workspaceId,
      contactIds,
    ]);
  }

  /** Claims due cron schedules; rows locked by another replica are skipped, not waited for. */
  async claimDueCron(manager: EntityManager, now: Date, limit: number, workspaceId?: string): Promise<DueCron[]> {
    return manager.query(
      `SELECT * FROM triggers.cron_schedules WHERE next_fire_at <= $1 AND ($3::text IS NULL OR workspace_id = $3)
        ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, workspaceId ?? null],
    );
  }

  async moveCron(manager: EntityManager, due: DueCron, next: Date | undefined): Promise<void> {
    if (next) {
      await manager.query(
        `UPDATE triggers.cron_schedules SET next_fire_at = $3 WHERE workspace_id = $1 AND trigger_key = $2`,
        [due.workspace_id, due.trigger_key, next],
      );
    } else {
      await manager.query(`DELETE FROM triggers.cron_schedules WHERE workspace_id = $1 AND trigger_key = $2`, [
        due.workspace_id,
        due.trigger_key,
      ]);
    }
  }

  async claimDueDates(manager: EntityManager, now: Date, limit: number, workspaceId?: string): Promise<DueDate[]> {
    return manager.query(
      `SELECT * FROM triggers.date_schedules WHERE fire_at <= $1 AND ($3::text IS NULL OR workspace_id = $3)
        ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit, workspaceId ?? null],
    );
  }

  async deleteDate(manager: EntityManager, due: DueDate): Promise<void> {
    await manager.query(
      `DELETE FROM triggers.date_schedules WHERE workspace_id = $1 AND trigger_key = $2 AND contact_id = $3 AND fire_at = $4`,
      [due.workspace_id, due.trigger_key, due.contact_id, due.fire_at],
    );
  }

  /** Records a firing; false when this (trigger, scheduled time, contact) was already fired. */
  async recordFiring(
    manager: EntityManager,
    firing: { workspaceId: string; triggerKey: string; scheduledFor: Date; contactId: string; outcome: string },
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO triggers.firings (workspace_id, trigger_key, scheduled_for, contact_id, outcome) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING contact_id`,
      [firing.workspaceId, firing.triggerKey, firing.scheduledFor, firing.contactId, firing.outcome],
    );
    return rows.length === 1;
  }

  async setFiringOutcome(
    manager: EntityManager,
    firing: { workspaceId: string; triggerKey: string; scheduledFor: Date; contactId: string; outcome: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE triggers.firings SET outcome = $5 WHERE workspace_id = $1 AND trigger_key = $2 AND scheduled_for = $3 AND contact_id = $4`,
      [firing.workspaceId, firing.triggerKey, firing.scheduledFor, firing.contactId, firing.outcome],
    );
  }
}
