import { Injectable } from "@nestjs/common";
import { create, fromBinary, SocialRequestSchema, toBinary, type SocialRequest } from "@cascade/contracts";
import { DeferredSends, SendLedger } from "@cascade/compliance";
import { handleOnce } from "@cascade/db";
import { DataSource } from "typeorm";
import { SOCIAL_PROFILES_GROUP, SOCIAL_SCHEMA } from "../social.config.js";

/** The contact a pending broadcast is attributed to once its requesting contact is erased (outcomes need a key). */
export const ERASED_CONTACT = "erased";

export interface EraseSocialContactCommand {
  readonly messageId: string;
  readonly workspaceId: string;
  readonly contactId: string;
}

/**
 * ContactErased (profiles.changes.v1). A social post is the brand's public post, requested by a run of one
 * contact; erasing that contact:
 * - drops the contact's pending per-contact posts (a run's own post, key `<run>:…`, may name the contact);
 * - keeps pending broadcasts (once-per-workflow posts, whose key is not the run's) but attributes them to
 *   ERASED_CONTACT instead;
 * - unlinks the contact from the send ledger (keys stay, so nothing is ever posted twice) and from published posts.
 */
@Injectable()
export class EraseSocialContactUseCase {
  private readonly ledger = new SendLedger(SOCIAL_SCHEMA);
  private readonly deferred = new DeferredSends(SOCIAL_SCHEMA);

  constructor(private readonly dataSource: DataSource) {}

  execute(command: EraseSocialContactCommand): Promise<"processed" | "duplicate"> {
    const { workspaceId, contactId } = command;
    return handleOnce(
      this.dataSource,
      { schema: SOCIAL_SCHEMA, group: SOCIAL_PROFILES_GROUP, messageId: command.messageId },
      async (manager) => {
        const pending = (await manager.query(
          `SELECT idempotency_key, payload FROM ${this.deferred.table} WHERE workspace_id = $1 AND contact_id = $2`,
          [workspaceId, contactId],
        )) as { idempotency_key: string; payload: Buffer }[];
        for (const row of pending) {
          const request = fromBinary(SocialRequestSchema, new Uint8Array(row.payload));
          if (isBroadcast(request)) {
            const unlinked = create(SocialRequestSchema, { ...request, contactId: ERASED_CONTACT, runId: "" });
            await manager.query(
              `UPDATE ${this.deferred.table} SET contact_id = $3, payload = $4 WHERE workspace_id = $1 AND idempotency_key = $2`,
              [workspaceId, row.idempotency_key, ERASED_CONTACT, Buffer.from(toBinary(SocialRequestSchema, unlinked))],
            );
          } else {
            await this.deferred.remove(manager, workspaceId, row.idempotency_key);
          }
        }
        await this.ledger.eraseContact(manager, workspaceId, contactId);
        await manager.query(
          `UPDATE channel_social.social_posts SET contact_id = '', run_id = '' WHERE workspace_id = $1 AND contact_id = $2`,
          [workspaceId, contactId],
        );
      },
    );
  }
}

/** Once-per-workflow posts carry a key of their own (`<workflow>:v<version>:<node>`), not their run's. */
function isBroadcast(request: SocialRequest): boolean {
  return request.runId === "" || !request.idempotencyKey.startsWith(`${request.runId}:`);
}
