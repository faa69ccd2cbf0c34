import { Module } from "@nestjs/common";
import { EmailEngagementRepository } from "./email-engagement.repository.js";
import { EmailTrackingController } from "./email-tracking.controller.js";
import { RecordEngagementUseCase } from "./record-engagement.use-case.js";

/** Email open pixel and click redirect → email_opened / email_clicked. */
@Module({
  controllers: [EmailTrackingController],
  providers: [EmailEngagementRepository, RecordEngagementUseCase],
})
export class EmailTrackingModule {}
