import { Global, Logger, Module } from "@nestjs/common";
import { DEFAULT_WORKSPACE, ENVIRONMENT, type DefaultWorkspace } from "@cascade/runtime";
import type { Environment } from "@cascade/config";
import { IngestConfig, loadIngestConfig } from "../config/ingest.config.js";
import { IngestHttpSetup } from "../http/ingest-http.setup.js";
import { AcceptEventsUseCase } from "./accept-events.use-case.js";
import { EventPublisher } from "./event-publisher.js";
import { ReceivedMessagesCleanup } from "./received-messages.cleanup.js";
import { ReceivedMessagesRepository } from "./received-messages.repository.js";

/** What every ingest feature shares: settings, the HTTP pipeline, and the way into events.v1. */
@Global()
@Module({
  providers: [
    {
      provide: IngestConfig,
      useFactory: (env: Environment, workspace: DefaultWorkspace): IngestConfig => {
        const config = loadIngestConfig(env, workspace);
        if (config.trackingSecretDerived && config.distributed) {
          new Logger("IngestConfig").warn(
            "TRACKING_SECRET is not set: tracking links are verified with a secret derived from CASCADE_ADMIN_KEY",
          );
        }
        return config;
      },
      inject: [ENVIRONMENT, DEFAULT_WORKSPACE],
    },
    IngestHttpSetup,
    ReceivedMessagesRepository,
    ReceivedMessagesCleanup,
    EventPublisher,
    AcceptEventsUseCase,
  ],
  exports: [IngestConfig, AcceptEventsUseCase],
})
export class IntakeModule {}
