/** Database schema of the triggers service. */
export const TRIGGERS_SCHEMA = "triggers";

/**
 * Consumer groups, one per topic: the Kafka adapter runs one consumer per subscription, and members of one group
 * subscribed to different topics would be handed partitions they do not read. Each is also the handleOnce ledger
 * group of what it consumes.
 */
export const TriggersGroups = {
  definitions: "triggers-definitions",
  events: "triggers-events",
  profiles: "triggers-profiles",
  predictions: "triggers-predictions",
} as const;
