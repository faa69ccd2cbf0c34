import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type WorkflowCommand } from "@cascade/contracts";
import { NonRetryableError, type Delivered, type HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { mayBeRacingItsDefinition, OrchestratorError } from "../orchestrator-error.js";
import { ConsumerGroups } from "./run-executor.js";
import { CancelRunUseCase } from "./use-cases/cancel-run.use-case.js";
import { ManualStartUseCase } from "./use-cases/manual-start.use-case.js";
import { ResumeRunUseCase } from "./use-cases/resume-run.use-case.js";
import { StartRunUseCase } from "./use-cases/start-run.use-case.js";

/**
 * workflow.commands.v1: one use case per command. Refusals go to the DLQ with the reason; an unknown workflow
 * or version first gets the bus's retries (5 attempts over about 3 s), since triggers publish starts as soon as
 * they see a definition and the orchestrator's definitions consumer may not have stored it yet.
 */
@Controller()
export class CommandsConsumer {
  constructor(
    private readonly startRun: StartRunUseCase,
    private readonly cancelRun: CancelRunUseCase,
    private readonly resumeRun: ResumeRunUseCase,
    private readonly manualStart: ManualStartUseCase,
  ) {}

  @Consume(Topics.WorkflowCommandsV1, { group: ConsumerGroups.commands })
  async onCommand(@Payload() message: Delivered<WorkflowCommand>): Promise<HandlerResult> {
    const workspaceId = message.value.envelope?.workspace ?? "";
    const commandId = message.id;
    try {
      const { command } = message.value;
      switch (command.case) {
        case "startRun": {
          const start = command.value;
          if (start.workflowId === "" || start.contactId === "")
            throw new OrchestratorError("INVALID_COMMAND", "start_run needs workflow_id and contact_id");
          const result = await this.startRun.execute({
            commandId,
            workspaceId,
            workflowId: start.workflowId,
            version: start.version,
            contactId: start.contactId,
            triggerId: start.triggerId,
            triggerPayload: start.triggerPayload ?? {},
          });
          return result.outcome === "started" ? "processed" : result.outcome;
        }
        case "cancelRun": {
          const cancel = command.value;
          return (await this.cancelRun.execute({ commandId, workspaceId, ...cancel })).result;
        }
        case "resumeRun": {
          const resume = command.value;
          return this.resumeRun.execute({
            commandId,
            workspaceId,
            runId: resume.runId,
            nodeId: resume.nodeId,
            payload: resume.payload ?? {},
          });
        }
        case "manualStart": {
          const manual = command.value;
          const audience =
            manual.audience.case === "contacts"
              ? { contacts: manual.audience.value.contactIds }
              : manual.audience.case === "filter"
                ? { filter: manual.audience.value }
                : undefined;
          if (!audience) throw new OrchestratorError("INVALID_COMMAND", "manual_start needs contacts or a filter");
          const result = await this.manualStart.execute({
            commandId,
            workspaceId,
            workflowId: manual.workflowId,
            version: manual.version,
            audience,
            triggerPayload: manual.triggerPayload ?? {},
            requestedBy: manual.requestedBy,
          });
          return result.result;
        }
        case undefined:
          throw new OrchestratorError("INVALID_COMMAND", "the command is empty");
      }
    } catch (error) {
      if (error instanceof OrchestratorError && !mayBeRacingItsDefinition(error))
        throw new NonRetryableError(error.message, { cause: error });
      throw error;
    }
  }
}
