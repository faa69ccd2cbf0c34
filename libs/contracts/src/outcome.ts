import { create, type JsonObject } from "@bufbuild/protobuf";
import { newEnvelope } from "./envelope.js";
import type { Channel } from "./gen/cascade/common/v1/channel_pb.js";
import { OutcomeSchema, type Outcome, type OutcomeStatus } from "./gen/cascade/outcomes/v1/outcome_pb.js";

/** What ties an outcome to the request it reports on (the workflow fields are empty for direct sends). */
export interface OutcomeReference {
  readonly workspaceId: string;
  readonly idempotencyKey: string;
  readonly contactId: string;
  readonly runId?: string | null;
  readonly nodeId?: string | null;
  readonly workflowId?: string | null;
  /** The A/B variant the contact got (email). */
  readonly variantId?: string | null;
}

export interface OutcomeFields {
  readonly status: OutcomeStatus;
  readonly reason?: string;
  readonly provider?: string | null;
  readonly providerMessageId?: string | null;
  readonly details?: JsonObject;
}

/** An outcomes.v1 message of a channel service, occurring at `at`. */
export function newOutcome(channel: Channel, reference: OutcomeReference, at: Date, fields: OutcomeFields): Outcome {
  return create(OutcomeSchema, {
    envelope: newEnvelope(reference.workspaceId, at),
    channel,
    status: fields.status,
    reason: fields.reason ?? "",
    provider: fields.provider ?? "",
    providerMessageId: fields.providerMessageId ?? "",
    idempotencyKey: reference.idempotencyKey,
    runId: reference.runId ?? "",
    nodeId: reference.nodeId ?? "",
    workflowId: reference.workflowId ?? "",
    contactId: reference.contactId,
    variantId: reference.variantId ?? "",
    details: fields.details,
  });
}
