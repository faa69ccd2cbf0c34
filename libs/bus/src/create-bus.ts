import type { DataSource } from "typeorm";
import { EmbeddedBus, type EmbeddedBusConfig } from "./embedded/embedded-bus.js";
import { KafkaBus, type KafkaBusConfig } from "./kafka/kafka-bus.js";
import type { BusLogger } from "./logger.js";

export interface CreateBusConfig {
  /** Kafka bootstrap brokers; when non-empty the bus runs on Kafka. */
  brokers?: ReadonlyArray<string>;
  /** Kafka client id, by convention the service name. */
  clientId: string;
  /** Required without brokers: the embedded bus keeps its log there. */
  dataSource?: DataSource;
  /** Default partitions for topics the bus creates. */
  partitions?: number;
  logger?: BusLogger;
  /** Further Kafka settings (consumer tuning, replication factor, ...). */
  kafka?: Omit<KafkaBusConfig, "brokers" | "clientId" | "partitions" | "logger">;
  /** Further embedded settings (schema, poll interval, ...). */
  embedded?: Omit<EmbeddedBusConfig, "dataSource" | "partitions" | "logger">;
}

/** Kafka when brokers are given, else the embedded bus on the given DataSource. */
export function createBus(config: CreateBusConfig): KafkaBus | EmbeddedBus {
  const { brokers, clientId, dataSource, partitions, logger } = config;
  if (brokers && brokers.length > 0) {
    return new KafkaBus({ ...config.kafka, brokers: [...brokers], clientId, partitions, logger });
  }
  if (!dataSource) {
    throw new Error("createBus: brokers is empty, so the embedded bus is used, and it needs a dataSource");
  }
  return new EmbeddedBus({ ...config.embedded, dataSource, partitions, logger });
}
