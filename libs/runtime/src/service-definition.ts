import type { DynamicModule, Type } from "@nestjs/common";
import type { TopicDef } from "@cascade/contracts";
import type { MigrationInterface } from "typeorm";

/**
 * What the runtime needs to know to host a service, alone (distributed mode) or beside the others
 * (embedded mode). Each service exports one from its index.ts.
 */
export interface ServiceDefinition {
  /** Service name: its consumer group, its database schema (dashes become underscores) and its log name. */
  name: string;
  /** The service's root Nest module; it may inject `DataSource`, `BUS` and `DEFAULT_WORKSPACE`. */
  module: Type<unknown> | DynamicModule;
  /** The service's own migrations, run in its own schema at start. */
  migrations: ReadonlyArray<new () => MigrationInterface>;
  /** Topics the service produces or consumes; created at start when missing. */
  topics: ReadonlyArray<TopicDef<unknown>>;
  /** Run a transactional-outbox relay for the service's schema. */
  outbox?: boolean;
}

export const schemaNameOf = (service: Pick<ServiceDefinition, "name">): string => service.name.replace(/-/g, "_");
