import { Injectable, Logger } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { DataSource, type EntityManager } from "typeorm";
import { ContactProjectionRepository } from "../../contacts/contact-projection.repository.js";
import type { CompiledWorkflow, DatePropertyTrigger } from "../../matching/compiled-trigger.js";
import { compileWorkflow } from "../../matching/compile-workflow.js";
import { toSnapshot } from "../../matching/workflow-snapshot.js";
import { SchedulesRepository } from "../../schedules/schedules.repository.js";
import { TRIGGERS_SCHEMA, TriggersGroups } from "../../shared/constants.js";
import { TriggersMetrics } from "../../shared/triggers-metrics.js";
import { TriggerRegistry } from "../trigger-registry.js";
import { WorkflowsRepository } from "../workflows.repository.js";

export interface DefinitionCommand {
  messageId: string;
  workspaceId: string;
  workflowId: string;
  version: number;
  status: "published" | "archived";
  definitionJson: string;
}

export type ApplyDefinitionResult = "processed" | "duplicate" | "skipped";

/**
 * Applies a workflow.definitions.v1 message: a published version is compiled (refused, with its problems recorded,
 * when the definition or a filter is invalid: it never reaches the index), stored, and its schedules synced; an
 * archived workflow loses its triggers and schedules. An older version than the stored one is ignored.
 */
@Injectable()
export class ApplyDefinitionUseCase {
  private readonly log = new Logger(ApplyDefinitionUseCase.name);
  private readonly workflows = new WorkflowsRepository();
  private readonly schedules = new SchedulesRepository();
  private readonly contacts = new ContactProjectionRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: TriggerRegistry,
    private readonly metrics: TriggersMetrics,
  ) {}

  async execute(command: DefinitionCommand): Promise<ApplyDefinitionResult> {
    let changed = false;
    const result = await handleOnce(
      this.dataSource,
      { schema: TRIGGERS_SCHEMA, group: TriggersGroups.definitions, messageId: command.messageId },
      async (manager) => {
        changed = await this.apply(manager, command);
      },
    );
    if (changed) await this.registry.refresh();
    return result === "duplicate" ? "duplicate" : changed ? "processed" : "skipped";
  }

  private async apply(manager: EntityManager, command: DefinitionCommand): Promise<boolean> {
    const { workspaceId, workflowId, version } = command;
    const current = await this.workflows.lockCurrent(manager, workspaceId, workflowId);
    if (current && (current.version > version || (current.version === version && current.status === command.status)))
      return false;

    if (command.status === "archived") {
      await this.workflows.save(manager, {
        ...command,
        definitionJson: current?.definitionJson ?? command.definitionJson,
        compiled: null,
      });
      await this.schedules.removeWorkflow(manager, workspaceId, workflowId);
      return true;
    }
    const compiled = compileWorkflow(command);
    if (!compiled.ok) {
      this.metrics.refusedDefinitions.inc();
      this.log.error({
        msg: "workflow version refused: it is not indexed",
        workspaceId,
        workflowId,
        version,
        problems: compiled.problems,
      });
      await this.workflows.recordRefusal(manager, workspaceId, workflowId, version, compiled.problems);
      return false;
    }
    await this.workflows.save(manager, { ...command, compiled: toSnapshot(compiled.workflow) });
    await this.syncSchedules(manager, compiled.workflow);
    return true;
  }

  private async syncSchedules(manager: EntityManager, workflow: CompiledWorkflow): Promise<void> {
    const now = new Date();
    await this.schedules.syncCron(manager, workflow, now);
    await this.schedules.dropRemovedDateTriggers(manager, workflow);
    const dateTriggers = workflow.triggers.filter(
      (trigger): trigger is DatePropertyTrigger => trigger.kind === "date_property",
    );
    if (dateTriggers.length === 0) return;
    for await (const page of this.contacts.all(manager, workflow.workspaceId)) {
      for (const contact of page) {
        for (const trigger of dateTriggers) await this.schedules.scheduleContact(manager, trigger, contact, now);
      }
    }
  }
}
