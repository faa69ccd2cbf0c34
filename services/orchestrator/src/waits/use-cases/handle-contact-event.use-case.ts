import { Injectable } from "@nestjs/common";
import { handleOnce } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { DataSource } from "typeorm";
import { ORCHESTRATOR_GROUP, ORCHESTRATOR_SCHEMA, RunExecutor } from "../../runs/run-executor.js";
import { TaskWorker } from "../../timers/task-worker.js";

export interface ContactEventCommand {
  readonly messageId: string;
  readonly workspaceId: string;
  readonly contactId: string;
  /** The event as expressions see it: `{ id, name, timestamp, properties, context }`. */
  readonly event: Readonly<Record<string, unknown>> & { readonly name: string };
}

/**
 * One events.v1 event of a contact: resumes the runs waiting for it (wait_for_event, filters applied by the
 * engine), then checks the goal and exit conditions of the contact's other active runs.
 */
@Injectable()
export class HandleContactEventUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: RunExecutor,
    private readonly relays: OutboxRelays,
    private readonly tasks: TaskWorker,
  ) {}

  async execute(command: ContactEventCommand): Promise<"processed" | "duplicate" | "skipped"> {
    let changed = false;
    const { runs } = this.executor;
    const result = await handleOnce(
      this.dataSource,
      { schema: ORCHESTRATOR_SCHEMA, group: ORCHESTRATOR_GROUP, messageId: command.messageId },
      async (manager) => {
        const waiting = await runs.waitsFor(manager, command.workspaceId, command.contactId, command.event.name);
        for (const wait of waiting) {
          const run = await runs.lock(manager, wait.runId);
          if (!run) continue;
          const advanced = await this.executor.apply(manager, run, {
            type: "event",
            tokenId: wait.tokenId,
            event: command.event,
          });
          changed ||= advanced.changed;
        }
        for (const run of await runs.lockActiveOfContact(manager, command.workspaceId, command.contactId, {
          watchingOnly: true,
        })) {
          const advanced = await this.executor.apply(manager, run, { type: "contact_event", event: command.event });
          changed ||= advanced.changed;
        }
      },
    );
    if (changed) {
      this.relays.notify(ORCHESTRATOR_SCHEMA);
      this.tasks.kick();
    }
    return result === "processed" && !changed ? "skipped" : result;
  }
}
