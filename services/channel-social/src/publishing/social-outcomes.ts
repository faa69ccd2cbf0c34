import {
  Channel,
  newOutcome,
  Topics,
  type JsonObject,
  type Outcome,
  type OutcomeStatus,
  type SocialRequest,
} from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import type { EntityManager } from "typeorm";
import { SOCIAL_SCHEMA } from "../social.config.js";
import { platformKey, type PlatformName } from "./platforms.js";

/** What links an outcome to one platform's post of a request. */
export interface PostReference {
  workspaceId: string;
  /** `${request key}:${platform}`. */
  idempotencyKey: string;
  platform: PlatformName;
  contactId: string;
  runId: string;
  nodeId: string;
  workflowId: string;
}

export function referenceOf(request: SocialRequest, workspaceId: string, platform: PlatformName): PostReference {
  return {
    workspaceId,
    idempotencyKey: platformKey(request.idempotencyKey, platform),
    platform,
    contactId: request.contactId,
    runId: request.runId,
    nodeId: request.nodeId,
    workflowId: request.workflowId,
  };
}

/** An outcome of one platform's post; `provider` is the platform name and `details.platform` repeats it. */
export function socialOutcome(
  reference: Omit<PostReference, "platform"> & { platform: string },
  at: Date,
  fields: { status: OutcomeStatus; reason?: string; providerMessageId?: string; details?: JsonObject },
): Outcome {
  return newOutcome(Channel.SOCIAL, reference, at, {
    ...fields,
    provider: reference.platform,
    details: { platform: reference.platform, ...fields.details },
  });
}

const outbox = new Outbox(SOCIAL_SCHEMA);

/** Adds outcomes to channel_social.outbox in the caller's transaction. */
export async function publishOutcomes(manager: EntityManager, outcomes: ReadonlyArray<Outcome>): Promise<void> {
  if (outcomes.length > 0)
    await outbox.add(
      manager,
      Topics.OutcomesV1,
      outcomes.map((value) => ({ value })),
    );
}
