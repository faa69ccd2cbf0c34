import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { IngestModule } from "./ingest.module.js";

/** ingest: the tracking API; publishes events.v1. */
export const ingestService: ServiceDefinition = {
  name: "ingest",
  module: IngestModule,
  migrations: [],
  topics: [Topics.EventsV1],
};
