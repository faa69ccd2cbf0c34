import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { IngestModule } from "./ingest.module.js";
import { CreateIngestTables1764400000000 } from "./migrations/1764400000000-CreateIngestTables.js";

/** ingest: the tracking API, webhooks, email tracking and provider callbacks; publishes events.v1. */
export const ingestService: ServiceDefinition = {
  name: "ingest",
  module: IngestModule,
  migrations: [CreateIngestTables1764400000000],
  topics: [Topics.EventsV1],
};
