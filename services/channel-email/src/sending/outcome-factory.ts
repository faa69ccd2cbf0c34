import {
  Channel,
  create,
  newEnvelope,
  OutcomeSchema,
  type JsonObject,
  type Outcome,
  type OutcomeStatus,
} from "@cascade/contracts";

export interface OutcomeSubject {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  runId?: string | null;
  nodeId?: string | null;
  workflowId?: string | null;
  variantId?: string | null;
}

export interface OutcomeFacts {
  status: OutcomeStatus;
  reason?: string;
  provider?: string | null;
  providerMessageId?: string | null;
  details?: JsonObject;
}

/** An outcomes.v1 message about one email send. */
export function emailOutcome(subject: OutcomeSubject, facts: OutcomeFacts, at: Date): Outcome {
  return create(OutcomeSchema, {
    envelope: newEnvelope(subject.workspaceId, at),
    channel: Channel.EMAIL,
    status: facts.status,
    reason: facts.reason ?? "",
    provider: facts.provider ?? "",
    providerMessageId: facts.providerMessageId ?? "",
    idempotencyKey: subject.idempotencyKey,
    runId: subject.runId ?? "",
    nodeId: subject.nodeId ?? "",
    workflowId: subject.workflowId ?? "",
    contactId: subject.contactId,
    variantId: subject.variantId ?? "",
    details: facts.details,
  });
}
