import { Injectable } from "@nestjs/common";
import { Topics, type WorkflowCommand } from "@cascade/contracts";
import { handleOnce, Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource, type EntityManager } from "typeorm";
import { TriggerRegistry } from "../../definitions/trigger-registry.js";
import { RunStarter } from "../../entry/run-starter.js";
import { cancelRunCommand } from "../../entry/workflow-commands.js";
import type { ContactView } from "../../matching/evaluation-context.js";
import { holds } from "../../matching/event-matcher.js";
import { SchedulesRepository } from "../../schedules/schedules.repository.js";
import { TRIGGERS_SCHEMA, TriggersGroups } from "../../shared/constants.js";
import { TriggersMetrics } from "../../shared/triggers-metrics.js";
import { ContactProjectionRepository } from "../contact-projection.repository.js";

export type ProfileChangeCommand =
  | {
      kind: "snapshot";
      messageId: string;
      workspaceId: string;
      contact: ContactView;
      changedAt: Date;
      mergedFrom: readonly string[];
    }
  | { kind: "erased"; messageId: string; workspaceId: string; contactId: string };

/**
 * Keeps the contact projection current from profiles.changes.v1, (re)schedules the contact's date-property
 * firings (e.g. product_launch_date − 14 days), and cancels runs whose contact-only exit condition became true.
 */
@Injectable()
export class ApplyProfileChangeUseCase {
  private readonly contacts = new ContactProjectionRepository();
  private readonly schedules = new SchedulesRepository();
  private readonly outbox = new Outbox(TRIGGERS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly registry: TriggerRegistry,
    private readonly starter: RunStarter,
    private readonly metrics: TriggersMetrics,
  ) {}

  async execute(change: ProfileChangeCommand): Promise<"processed" | "duplicate"> {
    let commands: WorkflowCommand[] = [];
    const result = await handleOnce(
      this.dataSource,
      { schema: TRIGGERS_SCHEMA, group: TriggersGroups.profiles, messageId: change.messageId },
      async (manager) => {
        if (change.kind === "erased") {
          await this.contacts.delete(manager, change.workspaceId, [change.contactId]);
          await this.schedules.removeContact(manager, change.workspaceId, [change.contactId]);
          return;
        }
        commands = await this.applySnapshot(manager, change);
        if (commands.length > 0)
          await this.outbox.add(
            manager,
            Topics.WorkflowCommandsV1,
            commands.map((value) => ({ value })),
          );
      },
    );
    if (commands.length > 0) this.relays.notify(TRIGGERS_SCHEMA);
    return result;
  }

  private async applySnapshot(
    manager: EntityManager,
    change: Extract<ProfileChangeCommand, { kind: "snapshot" }>,
  ): Promise<WorkflowCommand[]> {
    const { workspaceId, contact, changedAt } = change;
    if (change.mergedFrom.length > 0) {
      await this.contacts.delete(manager, workspaceId, change.mergedFrom);
      await this.schedules.removeContact(manager, workspaceId, change.mergedFrom);
    }
    // An older snapshot than the stored one changes nothing.
    if (!(await this.contacts.save(manager, workspaceId, contact, changedAt))) return [];
    for (const trigger of this.registry.index.timeBasedTriggers(workspaceId)) {
      if (trigger.kind === "date_property") await this.schedules.scheduleContact(manager, trigger, contact, changedAt);
    }
    const commands: WorkflowCommand[] = [];
    for (const { workflow, condition } of this.registry.index.endConditionsForContact(workspaceId)) {
      if (!holds(condition.expression, { contact }, changedAt)) continue;
      if (!(await this.starter.entryGate.closeEnrolment(manager, workspaceId, workflow.workflowId, contact.id)))
        continue;
      this.metrics.cancels.inc({ reason: condition.reason });
      commands.push(
        cancelRunCommand({
          workspaceId,
          workflowId: workflow.workflowId,
          contactId: contact.id,
          reason: `${condition.reason}: ${condition.expression.source}`,
          causeId: change.messageId,
          occurredAt: changedAt,
        }),
      );
    }
    return commands;
  }
}
