/**
 * @cascade/contracts: every message on the bus, generated from proto/, and the topic registry.
 *
 *   import { Topics, newEnvelope, create, EventSchema, EventType } from "@cascade/contracts";
 *   const event = create(EventSchema, { envelope: newEnvelope(ws), type: EventType.TRACK, ... });
 *   await bus.publish(Topics.EventsV1, [{ value: event }]);
 */

// Topic registry and envelope helpers.
export type { ContentType, EnvelopeFields, TopicDef } from "./topic.js";
export { Topics, ALL_TOPICS, type MessageOf, type RegisteredTopic } from "./topics.js";
export { renamedTopic, type ContractTopic, type EnvelopedMessage, type TopicEncoding } from "./define-topic.js";
export { newEnvelope, toEnvelopeFields, fromEnvelopeFields } from "./envelope.js";
export { newOutcome, type OutcomeFields, type OutcomeReference } from "./outcome.js";
export { SystemEvents, type SystemEventName } from "./event-names.js";
export { ContractError, type ContractErrorCode } from "./contract-error.js";

// Generated messages, by domain (names are unique across domains).
// cascade.common.v1
export * from "./gen/cascade/common/v1/envelope_pb.js";
export * from "./gen/cascade/common/v1/channel_pb.js";
// cascade.events.v1
export * from "./gen/cascade/events/v1/event_pb.js";
// cascade.profiles.v1
export * from "./gen/cascade/profiles/v1/profile_change_pb.js";
// cascade.predictions.v1
export * from "./gen/cascade/predictions/v1/prediction_pb.js";
// cascade.workflows.v1
export * from "./gen/cascade/workflows/v1/workflow_command_pb.js";
export * from "./gen/cascade/workflows/v1/workflow_definition_pb.js";
export * from "./gen/cascade/workflows/v1/workflow_run_event_pb.js";
// cascade.channels.v1
export * from "./gen/cascade/channels/v1/category_pb.js";
export * from "./gen/cascade/channels/v1/email_request_pb.js";
export * from "./gen/cascade/channels/v1/sms_request_pb.js";
export * from "./gen/cascade/channels/v1/push_request_pb.js";
export * from "./gen/cascade/channels/v1/social_request_pb.js";
// cascade.outcomes.v1
export * from "./gen/cascade/outcomes/v1/outcome_pb.js";

// The protobuf-es runtime, so services need no direct @bufbuild import.
export {
  create,
  clone,
  equals,
  isMessage,
  toBinary,
  fromBinary,
  toJson,
  toJsonString,
  fromJson,
  fromJsonString,
  type JsonObject,
  type JsonValue,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
export {
  timestampDate,
  timestampFromDate,
  timestampFromMs,
  timestampMs,
  timestampNow,
  type Timestamp,
} from "@bufbuild/protobuf/wkt";
