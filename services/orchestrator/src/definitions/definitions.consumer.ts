import { Controller, Logger } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type WorkflowDefinition } from "@cascade/contracts";
import { NonRetryableError, type Delivered, type HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { OrchestratorError } from "../orchestrator-error.js";
import { ConsumerGroups } from "../runs/run-executor.js";
import { StoreDefinitionUseCase } from "./use-cases/store-definition.use-case.js";

/** workflow.definitions.v1: every published version is validated and stored; refused ones are logged and dead-lettered. */
@Controller()
export class DefinitionsConsumer {
  private readonly log = new Logger("DefinitionsConsumer");

  constructor(private readonly storeDefinition: StoreDefinitionUseCase) {}

  @Consume(Topics.WorkflowDefinitionsV1, { group: ConsumerGroups.definitions })
  async onDefinition(@Payload() message: Delivered<WorkflowDefinition>): Promise<HandlerResult> {
    try {
      return await this.storeDefinition.execute({
        messageId: message.id,
        workspaceId: message.value.envelope?.workspace ?? "",
        message: message.value,
      });
    } catch (error) {
      if (error instanceof OrchestratorError) {
        this.log.warn(
          `definition refused (message ${message.id}, ${message.topic}@${message.partition}:${message.offset}): ${error.message}`,
        );
        throw new NonRetryableError(error.message, { cause: error });
      }
      throw error;
    }
  }
}
