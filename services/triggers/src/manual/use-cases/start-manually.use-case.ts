import { Injectable } from "@nestjs/common";
import { Topics, type JsonObject, type WorkflowCommand } from "@cascade/contracts";
import { Outbox } from "@cascade/db";
import { OutboxRelays } from "@cascade/runtime";
import { checkExpression } from "@cascade/workflow";
import { v7 as uuidv7 } from "uuid";
import { DataSource } from "typeorm";
import { ContactProjectionRepository } from "../../contacts/contact-projection.repository.js";
import { TriggerRegistry } from "../../definitions/trigger-registry.js";
import { RunStarter } from "../../entry/run-starter.js";
import { unknownContact, type ContactView } from "../../matching/evaluation-context.js";
import { holds } from "../../matching/event-matcher.js";
import { TRIGGERS_SCHEMA } from "../../shared/constants.js";
import { TriggersError } from "../triggers-error.js";

export interface StartManuallyCommand {
  workspaceId: string;
  workflowId: string;
  audience: { contactId: string } | { filter: string };
  payload: JsonObject;
  requestId?: string;
}

export interface StartManuallyResult {
  /** Contacts a StartRun was sent for. */
  started: number;
  /** Contacts that matched the audience but were refused by an exclusion or frequency limit. */
  refused: number;
}

/**
 * Starts a published workflow by hand (studio API): for one contact, or for every contact of the projection that
 * matches a filter. Exclusions and the manual trigger's frequency limit apply; the orchestrator decides
 * re-entry. All StartRun commands are written to the outbox in one transaction.
 */
@Injectable()
export class StartManuallyUseCase {
  private readonly contacts = new ContactProjectionRepository();
  private readonly outbox = new Outbox(TRIGGERS_SCHEMA);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relays: OutboxRelays,
    private readonly registry: TriggerRegistry,
    private readonly starter: RunStarter,
  ) {}

  async execute(command: StartManuallyCommand): Promise<StartManuallyResult> {
    await this.registry.refresh();
    const workflow = this.registry.index.workflow(command.workspaceId, command.workflowId);
    if (!workflow)
      throw new TriggersError("WORKFLOW_NOT_PUBLISHED", `workflow '${command.workflowId}' has no published version`);
    const filter = "filter" in command.audience ? compileFilter(command.audience.filter) : undefined;
    const trigger = workflow.triggers.find((candidate) => candidate.kind === "manual");
    const requestId = command.requestId ?? uuidv7();
    const at = new Date();

    const result: StartManuallyResult = { started: 0, refused: 0 };
    let commands: WorkflowCommand[] = [];
    await this.dataSource.transaction(async (manager) => {
      commands = [];
      result.started = 0;
      result.refused = 0;
      const startFor = async (contactId: string, contact: ContactView): Promise<void> => {
        const start = await this.starter.start(manager, {
          workflow,
          trigger,
          kind: "manual",
          triggerId: trigger?.nodeId ?? "manual",
          contactId,
          contact,
          at,
          causeId: `manual:${requestId}`,
          payload: command.payload,
        });
        if (start) commands.push(start);
        else result.refused++;
      };
      if ("contactId" in command.audience) {
        const { contactId } = command.audience;
        await startFor(
          contactId,
          (await this.contacts.find(manager, command.workspaceId, contactId)) ?? unknownContact(contactId),
        );
      } else {
        for await (const page of this.contacts.all(manager, command.workspaceId)) {
          for (const contact of page) if (holds(filter, { contact }, at)) await startFor(contact.id, contact);
        }
      }
      result.started = commands.length;
      if (commands.length > 0)
        await this.outbox.add(
          manager,
          Topics.WorkflowCommandsV1,
          commands.map((value) => ({ value })),
        );
    });
    if (commands.length > 0) this.relays.notify(TRIGGERS_SCHEMA);
    return result;
  }
}

function compileFilter(source: string) {
  const checked = checkExpression(source, { expect: "boolean" });
  if (!checked.ok) {
    throw new TriggersError(
      "INVALID_FILTER",
      `filter: ${checked.errors.map((error) => error.message).join("; ")}`,
      "filter",
    );
  }
  return { source, ast: checked.ast, readsContact: true, readsEvent: false };
}
