export { createDataSource, IN_MEMORY_DATA_DIR } from "./data-source.factory.js";
export type { CreateDataSourceOptions, DatabaseHandle, DatabaseKind } from "./data-source.factory.js";
export { runMigrations, sortMigrations, pendingMigrations } from "./migrations.js";
export type { MigrationClass, PlannedMigration, RunMigrationsOptions } from "./migrations.js";
export { ProcessedMessages, handleOnce, createLedgerMigration } from "./processed-messages.js";
export type { HandleOnceTarget } from "./processed-messages.js";
export { Outbox, OutboxHeaders, createOutboxMigration } from "./outbox.js";
export type { OutboxMessage, OutboxTopic } from "./outbox.js";
export { OutboxRelay, OutboxPublishError, groupByTopic } from "./outbox-relay.js";
export type {
  OutboxPublisher,
  OutboxRecord,
  OutboxRelayOptions,
  RelayConcurrency,
  RelayRound,
} from "./outbox-relay.js";
export { quoteSchema } from "./sql-identifier.js";
export { silentLogger } from "./db-logger.js";
export type { DbLogger } from "./db-logger.js";
