import { Module } from "@nestjs/common";
import { SourcesModule } from "../sources/sources.module.js";
import { HooksAdminController, HooksController } from "./hooks.controller.js";
import { HooksRepository } from "./hooks.repository.js";
import { ReceiveWebhookUseCase } from "./receive-webhook.use-case.js";

/** Webhook triggers: POST /v1/hooks/:hookId → webhook_received, and their admin API. */
@Module({
  imports: [SourcesModule],
  controllers: [HooksController, HooksAdminController],
  providers: [HooksRepository, ReceiveWebhookUseCase],
})
export class HooksModule {}
