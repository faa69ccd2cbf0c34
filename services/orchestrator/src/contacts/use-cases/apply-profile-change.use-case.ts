import { Injectable } from "@nestjs/common";
import type { ProfileChange } from "@cascade/contracts";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../../runs/run-executor.js";
import { ADDRESS_WAIT_KEY } from "../../engine/engine-types.js";
import { contactViewOf } from "../contact-view.js";

/**
 * Keeps the contact projection from profiles.changes.v1 snapshots; an erased contact is forgotten and its
 * runs cancelled; runs with exit conditions re-check them against the new state, and email / SMS nodes
 * waiting for the contact's address send once it is there.
 */
@Injectable()
export class ApplyProfileChangeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
  ) {}

  async execute(messageId: string, workspaceId: string, change: ProfileChange): Promise<"processed" | "duplicate"> {
    let changed = false;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId },
      async (manager) => {
        const { contacts, runs } = this.executor;
        if (change.change.case === "erased" || !change.state) {
          await contacts.delete(manager, workspaceId, change.contactId);
          for (const run of await runs.lockActiveOfContact(manager, workspaceId, change.contactId)) {
            changed ||= (await this.executor.apply(manager, run, { type: "cancel", reason: "contact_erased" })).changed;
          }
          return;
        }
        await contacts.save(manager, workspaceId, contactViewOf(change.contactId, change.state));
        const applied = new Set<string>();
        for (const run of await runs.lockActiveOfContact(manager, workspaceId, change.contactId, {
          watchingOnly: true,
        })) {
          applied.add(run.runId);
          changed ||= (await this.executor.apply(manager, run, { type: "contact_changed" })).changed;
        }
        // Email / SMS nodes parked until the contact's address arrives (ORCHESTRATOR_ADDRESS_GRACE_MS).
        for (const wait of await runs.waitsFor(manager, workspaceId, change.contactId, ADDRESS_WAIT_KEY)) {
          if (applied.has(wait.runId)) continue;
          applied.add(wait.runId);
          const run = await runs.lock(manager, wait.runId);
          if (run) changed ||= (await this.executor.apply(manager, run, { type: "contact_changed" })).changed;
        }
      },
    );
    if (changed) this.relays.notify(ORCHESTRATOR_SCHEMA);
    return result;
  }
}
