import { Module } from "@nestjs/common";
import { SourcesModule } from "../sources/sources.module.js";
import { TrackingController } from "./tracking.controller.js";
import { WriteKeyGuard } from "./write-key.guard.js";

/** The Segment-compatible tracking API. */
@Module({
  imports: [SourcesModule],
  controllers: [TrackingController],
  providers: [WriteKeyGuard],
})
export class TrackingModule {}
