import { Inject, Injectable } from "@nestjs/common";
import {
  ContactIdListSchema,
  create,
  ManualStartSchema,
  newEnvelope,
  Topics,
  WorkflowCommandSchema,
  type JsonObject,
} from "@cascade/contracts";
import type { Bus } from "@cascade/bus";
import { BUS } from "@cascade/runtime";
import { checkExpression } from "@cascade/workflow";
import { DataSource } from "typeorm";
import { StudioError } from "../../http/studio-error.js";
import { WorkflowsRepository } from "../workflows.repository.js";

export interface StartManualRunCommand {
  workspaceId: string;
  workflowId: string;
  requestedBy: string;
  audience: { contactIds: string[] } | { filter: string };
  /** Default: the published version. */
  version?: number;
  payload?: JsonObject;
}

/**
 * Starts a published workflow by hand for a list of contacts or every contact matching a filter: publishes a
 * WorkflowCommand ManualStart on workflow.commands.v1 (keyed by workflow), which the orchestrator expands into
 * one run per contact. No studio state changes, so it is published directly rather than through the outbox.
 */
@Injectable()
export class StartManualRunUseCase {
  private readonly workflows = new WorkflowsRepository();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BUS) private readonly bus: Bus,
  ) {}

  async execute(command: StartManualRunCommand): Promise<{ commandId: string; version: number }> {
    const workflow = await this.workflows.find(this.dataSource.manager, command.workspaceId, command.workflowId);
    if (!workflow) throw new StudioError("WORKFLOW_NOT_FOUND", `no workflow ${command.workflowId} in this workspace`);
    if (workflow.publishedVersion === null || workflow.status !== "published") {
      throw new StudioError(
        "NOT_PUBLISHED",
        `workflow ${command.workflowId} is not published: publish it before starting runs`,
      );
    }
    const version = command.version ?? workflow.publishedVersion;
    if (
      command.version !== undefined &&
      !(await this.workflows.findVersion(this.dataSource.manager, command.workspaceId, command.workflowId, version))
    ) {
      throw new StudioError("VERSION_NOT_FOUND", `workflow ${command.workflowId} has no version ${version}`);
    }
    if ("filter" in command.audience) {
      const checked = checkExpression(command.audience.filter, { expect: "boolean" });
      if (!checked.ok) {
        const first = checked.errors[0];
        throw new StudioError("INVALID_REQUEST", `filter: ${first?.message ?? "invalid expression"}`, {
          issues: checked.errors.map((error) => ({
            field: "filter",
            message: `${error.message} (at ${error.line}:${error.column})`,
          })),
        });
      }
    }
    const envelope = newEnvelope(command.workspaceId);
    const audience =
      "filter" in command.audience
        ? { case: "filter" as const, value: command.audience.filter }
        : {
            case: "contacts" as const,
            value: create(ContactIdListSchema, { contactIds: command.audience.contactIds }),
          };
    const message = create(WorkflowCommandSchema, {
      envelope,
      command: {
        case: "manualStart",
        value: create(ManualStartSchema, {
          workflowId: command.workflowId,
          version,
          audience,
          triggerPayload: command.payload,
          requestedBy: command.requestedBy,
        }),
      },
    });
    await this.bus.publish(Topics.WorkflowCommandsV1, [{ value: message }]);
    return { commandId: envelope.id, version };
  }
}
