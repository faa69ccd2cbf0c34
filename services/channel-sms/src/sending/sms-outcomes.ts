import {
  Channel,
  newOutcome,
  type OutcomeStatus,
  Topics,
  type JsonObject,
  type Outcome,
  type SmsRequest,
} from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import type { EntityManager } from "typeorm";
import { SMS_SCHEMA } from "../sms.config.js";

/** What links an outcome to its send. */
export interface SendReference {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  runId?: string;
  nodeId?: string;
  workflowId?: string;
}

export function referenceOf(request: SmsRequest, workspaceId: string, idempotencyKey: string): SendReference {
  return {
    workspaceId,
    idempotencyKey,
    contactId: request.contactId,
    runId: request.runId,
    nodeId: request.nodeId,
    workflowId: request.workflowId,
  };
}

export function smsOutcome(
  reference: SendReference,
  at: Date,
  fields: {
    status: OutcomeStatus;
    reason?: string;
    provider?: string;
    providerMessageId?: string;
    details?: JsonObject;
  },
): Outcome {
  return newOutcome(Channel.SMS, reference, at, fields);
}

const outbox = new Outbox(SMS_SCHEMA);

/** Adds outcomes to channel_sms.outbox in the caller's transaction. */
export async function publishOutcomes(manager: EntityManager, outcomes: ReadonlyArray<Outcome>): Promise<void> {
  if (outcomes.length > 0)
    await outbox.add(
      manager,
      Topics.OutcomesV1,
      outcomes.map((value) => ({ value })),
    );
}
