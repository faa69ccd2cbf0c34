import { Module } from "@nestjs/common";
import { CallbacksModule } from "./callbacks/callbacks.module.js";
import { EmailTrackingModule } from "./email-tracking/email-tracking.module.js";
import { HooksModule } from "./hooks/hooks.module.js";
import { IntakeModule } from "./intake/intake.module.js";
import { SourcesModule } from "./sources/sources.module.js";
import { TrackingModule } from "./tracking/tracking.module.js";

/** ingest: tracking API, sources, webhooks, email tracking and provider callbacks → events.v1. */
@Module({
  imports: [IntakeModule, SourcesModule, TrackingModule, HooksModule, EmailTrackingModule, CallbacksModule],
})
export class IngestModule {}
