import { Controller, Logger } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, WorkflowDefinitionStatus, type WorkflowDefinition } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { TriggersGroups } from "../shared/constants.js";
import { TriggersMetrics } from "../shared/triggers-metrics.js";
import { ApplyDefinitionUseCase } from "./use-cases/apply-definition.use-case.js";

/** Reads workflow.definitions.v1: the trigger of every published version. */
@Controller()
export class DefinitionsConsumer {
  private readonly log = new Logger(DefinitionsConsumer.name);

  constructor(
    private readonly applyDefinition: ApplyDefinitionUseCase,
    private readonly metrics: TriggersMetrics,
  ) {}

  @Consume(Topics.WorkflowDefinitionsV1, { group: TriggersGroups.definitions })
  async onDefinition(@Payload() message: Delivered<WorkflowDefinition>): Promise<HandlerResult> {
    const definition = message.value;
    const workspaceId = definition.envelope?.workspace ?? "";
    const status =
      definition.status === WorkflowDefinitionStatus.PUBLISHED
        ? "published"
        : definition.status === WorkflowDefinitionStatus.ARCHIVED
          ? "archived"
          : undefined;
    const reason = !workspaceId
      ? "missing_workspace"
      : !definition.workflowId
        ? "missing_workflow_id"
        : !status
          ? "missing_status"
          : status === "published" && !definition.definitionJson
            ? "missing_definition_json"
            : undefined;
    if (reason || !status) {
      this.metrics.skipped.inc({ topic: Topics.WorkflowDefinitionsV1.name, reason: reason ?? "missing_status" });
      this.log.warn({
        msg: "definition skipped",
        reason,
        messageId: message.id,
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
      });
      return "skipped";
    }
    return this.applyDefinition.execute({
      messageId: message.id,
      workspaceId,
      workflowId: definition.workflowId,
      version: definition.version,
      status,
      definitionJson: definition.definitionJson,
    });
  }
}
