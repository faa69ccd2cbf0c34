import { Channel, newOutcome, Topics, type JsonObject, type Outcome, type OutcomeStatus } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import type { EntityManager } from "typeorm";
import { PUSH_SCHEMA } from "../push.config.js";

export interface PushReference {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  runId?: string;
  nodeId?: string;
  workflowId?: string;
}

export function pushOutcome(
  reference: PushReference,
  at: Date,
  fields: {
    status: OutcomeStatus;
    reason?: string;
    provider?: string;
    providerMessageId?: string;
    details?: JsonObject;
  },
): Outcome {
  return newOutcome(Channel.PUSH, reference, at, fields);
}

const outbox = new Outbox(PUSH_SCHEMA);

export async function publishPushOutcomes(manager: EntityManager, outcomes: ReadonlyArray<Outcome>): Promise<void> {
  if (outcomes.length > 0)
    await outbox.add(
      manager,
      Topics.OutcomesV1,
      outcomes.map((value) => ({ value })),
    );
}
