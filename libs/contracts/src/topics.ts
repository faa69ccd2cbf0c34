import { defineTopic, type ContractTopic } from "./define-topic.js";
import { EmailRequestSchema } from "./gen/cascade/channels/v1/email_request_pb.js";
import { PushRequestSchema } from "./gen/cascade/channels/v1/push_request_pb.js";
import { SmsRequestSchema } from "./gen/cascade/channels/v1/sms_request_pb.js";
import { SocialRequestSchema } from "./gen/cascade/channels/v1/social_request_pb.js";
import { EventSchema } from "./gen/cascade/events/v1/event_pb.js";
import { OutcomeSchema, OutcomeStatus } from "./gen/cascade/outcomes/v1/outcome_pb.js";
import { PredictionSchema } from "./gen/cascade/predictions/v1/prediction_pb.js";
import { ProfileChangeSchema } from "./gen/cascade/profiles/v1/profile_change_pb.js";
import { WorkflowCommandSchema, type WorkflowCommand } from "./gen/cascade/workflows/v1/workflow_command_pb.js";
import { WorkflowDefinitionSchema } from "./gen/cascade/workflows/v1/workflow_definition_pb.js";
import { WorkflowRunEventSchema } from "./gen/cascade/workflows/v1/workflow_run_event_pb.js";
import type { KeyPart } from "./define-topic.js";
import { ContractError } from "./contract-error.js";

/**
 * Partition key of a workflow command: the contact, so that a run's start, resumes and
 * cancellation stay ordered; a manual start (many contacts) by its workflow.
 */
function workflowCommandKey(message: WorkflowCommand): KeyPart {
  const { command } = message;
  switch (command.case) {
    case "startRun":
      return ["start_run.contact_id", command.value.contactId];
    case "cancelRun":
      return ["cancel_run.contact_id", command.value.contactId];
    case "resumeRun":
      return ["resume_run.contact_id", command.value.contactId];
    case "manualStart":
      return ["manual_start.workflow_id", command.value.workflowId];
    case undefined:
      throw new ContractError("KEY_MISSING", "cannot key cascade.workflows.v1.WorkflowCommand: command is not set");
  }
}

/**
 * The topic registry: the only place topic names are written down. Every producer and consumer
 * refers to a topic as `Topics.<Name>`; names follow `<domain>.<name>.v<major>`.
 */
export const Topics = {
  /** Accepted tracking calls (ingest → profiles, triggers, predictions, orchestrator). */
  EventsV1: defineTopic({
    name: "events.v1",
    desc: EventSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  /** Contact changes (profiles → triggers, predictions). */
  ProfilesChangesV1: defineTopic({
    name: "profiles.changes.v1",
    desc: ProfileChangeSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  /** Fresh model scores (predictions → triggers). */
  PredictionsV1: defineTopic({
    name: "predictions.v1",
    desc: PredictionSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  /** Start / cancel / resume runs (triggers, studio → orchestrator). */
  WorkflowCommandsV1: defineTopic({
    name: "workflow.commands.v1",
    desc: WorkflowCommandSchema,
    encoding: "protobuf",
    keyPart: workflowCommandKey,
  }),
  /** Published workflow versions (studio → triggers, orchestrator); keyed by workflow. */
  WorkflowDefinitionsV1: defineTopic({
    name: "workflow.definitions.v1",
    desc: WorkflowDefinitionSchema,
    encoding: "protobuf",
    keyPart: (m) => ["workflow_id", m.workflowId],
  }),
  ChannelEmailRequestsV1: defineTopic({
    name: "channel.email.requests.v1",
    desc: EmailRequestSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  ChannelSmsRequestsV1: defineTopic({
    name: "channel.sms.requests.v1",
    desc: SmsRequestSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  ChannelPushRequestsV1: defineTopic({
    name: "channel.push.requests.v1",
    desc: PushRequestSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  ChannelSocialRequestsV1: defineTopic({
    name: "channel.social.requests.v1",
    desc: SocialRequestSchema,
    encoding: "protobuf",
    keyPart: (m) => ["contact_id", m.contactId],
  }),
  /** Public stream, proto3 JSON: what happened to every send (channels → orchestrator, analysts). */
  OutcomesV1: defineTopic({
    name: "outcomes.v1",
    desc: OutcomeSchema,
    encoding: "json",
    // An alert about the channel itself may concern no contact: keyed by workspace alone.
    keyPart: (m) => (m.status === OutcomeStatus.ALERT && m.contactId === "" ? null : ["contact_id", m.contactId]),
  }),
  /** Public stream, proto3 JSON: the life of every run (orchestrator → analysts); keyed by run. */
  WorkflowRunsV1: defineTopic({
    name: "workflow.runs.v1",
    desc: WorkflowRunEventSchema,
    encoding: "json",
    keyPart: (m) => ["run_id", m.runId],
  }),
} as const;

/** Any topic of the registry. */
export type RegisteredTopic = (typeof Topics)[keyof typeof Topics];

/** The message type carried by a registry topic, e.g. `MessageOf<typeof Topics.EventsV1>` is `Event`. */
export type MessageOf<D> = D extends ContractTopic<infer T> ? T : never;

/** Every topic of the registry, e.g. for `bus.ensureTopics(ALL_TOPICS)`. */
export const ALL_TOPICS: ReadonlyArray<RegisteredTopic> = Object.freeze(Object.values(Topics));
