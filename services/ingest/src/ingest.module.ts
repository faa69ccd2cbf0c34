import { Module } from "@nestjs/common";
import { TrackingController } from "./tracking/tracking.controller.js";
import { RecordEventUseCase } from "./tracking/use-cases/record-event.use-case.js";
import { WriteKeyGuard } from "./tracking/write-key.guard.js";

@Module({
  controllers: [TrackingController],
  providers: [RecordEventUseCase, WriteKeyGuard],
})
export class IngestModule {}
