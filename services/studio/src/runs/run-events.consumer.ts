import { Controller } from "@nestjs/common";
import { Payload } from "@nestjs/microservices";
import { Topics, type WorkflowRunEvent } from "@cascade/contracts";
import type { Delivered, HandlerResult } from "@cascade/bus";
import { Consume } from "@cascade/runtime";
import { STUDIO_GROUP } from "../studio.constants.js";
import { RecordRunEventUseCase } from "./use-cases/record-run-event.use-case.js";

/** Reads workflow.runs.v1 (group "studio") into live per-node statistics, runs and timelines. */
@Controller()
export class RunEventsConsumer {
  constructor(private readonly recordRunEvent: RecordRunEventUseCase) {}

  @Consume(Topics.WorkflowRunsV1, { group: STUDIO_GROUP })
  onRunEvent(@Payload() message: Delivered<WorkflowRunEvent>): Promise<HandlerResult> {
    return this.recordRunEvent.execute(message.id, message.value);
  }
}
