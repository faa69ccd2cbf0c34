export * from "./bus.js";
export { stderrBusLogger, silentBusLogger, type BusLogger } from "./logger.js";
export { defaultRetryPolicy, resolveRetryPolicy, backoffDelayMs } from "./delivery/retry-policy.js";
export { buildDeadLetter, describeError, type DeadLetter } from "./delivery/dead-letter.js";
export type { InboundRecord } from "./delivery/inbound-record.js";
export { partitionForKey } from "./partitioner.js";
export { KafkaBus, type KafkaBusConfig, type KafkaConsumerTuning } from "./kafka/kafka-bus.js";
export { EmbeddedBus, type EmbeddedBusConfig } from "./embedded/embedded-bus.js";
export { createBus, type CreateBusConfig } from "./create-bus.js";
