import { Injectable } from "@nestjs/common";
import { OutcomeStatus, type JsonObject, type Outcome } from "@cascade/contracts";
import type { EntityManager } from "typeorm";
import { publishPushOutcomes, pushOutcome } from "../../sending/push-outcomes.js";
import type { PushSignal } from "../push-signals.js";
import { PushEngagementRepository, type PushEngagementRecord } from "../push-engagement.repository.js";

export interface PushEngagementCommand extends PushSignal {
  /** Who reported it: the SDK's service worker (through ingest) or the click-tracking redirect. */
  via: "service_worker" | "click_redirect";
}

export function referenceOf(record: PushEngagementRecord) {
  return {
    workspaceId: record.workspaceId,
    idempotencyKey: record.idempotencyKey,
    contactId: record.contactId,
    runId: record.runId,
    nodeId: record.nodeId,
    workflowId: record.workflowId,
  };
}

/**
 * A push reached a browser (DELIVERED) or was opened (OPENED; an open implies the delivery). Each is reported
 * once per push, the first time, for the push's contact and run; reports for pushes this workspace never sent
 * are ignored. Runs in the caller's transaction.
 */
@Injectable()
export class RecordPushEngagementUseCase {
  private readonly engagements = new PushEngagementRepository();

  /** Returns the outcomes published (none when everything was known already). */
  async execute(manager: EntityManager, command: PushEngagementCommand): Promise<Outcome[]> {
    const details: JsonObject = { via: command.via, ...(command.url ? { url: command.url } : {}) };
    const outcomes: Outcome[] = [];
    const delivered = await this.engagements.markDelivered(
      manager,
      command.workspaceId,
      command.idempotencyKey,
      command.at,
    );
    if (delivered)
      outcomes.push(pushOutcome(referenceOf(delivered), command.at, { status: OutcomeStatus.DELIVERED, details }));
    if (command.kind === "opened") {
      const opened = await this.engagements.markOpened(
        manager,
        command.workspaceId,
        command.idempotencyKey,
        command.at,
        {
          anonymousId: command.anonymousId,
          userId: command.userId,
        },
      );
      if (opened)
        outcomes.push(pushOutcome(referenceOf(opened), command.at, { status: OutcomeStatus.OPENED, details }));
    }
    await publishPushOutcomes(manager, outcomes);
    return outcomes;
  }
}
