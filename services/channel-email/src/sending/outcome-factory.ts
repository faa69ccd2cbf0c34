import { Channel, newOutcome, type JsonObject, type Outcome, type OutcomeStatus } from "@cascade/contracts";

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
  return newOutcome(Channel.EMAIL, subject, at, facts);
}
