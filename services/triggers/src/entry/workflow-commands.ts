import {
  CancelRunSchema,
  create,
  newEnvelope,
  StartRunSchema,
  WorkflowCommandSchema,
  type JsonObject,
  type WorkflowCommand,
} from "@cascade/contracts";
import { v5 as uuidv5 } from "uuid";

/** Namespace of the deterministic command ids of the triggers service (UUIDv5). */
const COMMAND_ID_NAMESPACE = "6f1f3c52-7d0e-4c1e-9a55-1c6c3b0f7a10";

/** A command id derived from what caused the command, so a replay can never mint a second, different command. */
export const commandIdOf = (...parts: readonly string[]): string => uuidv5(parts.join("\u0000"), COMMAND_ID_NAMESPACE);

export interface StartRunFields {
  workspaceId: string;
  workflowId: string;
  version: number;
  contactId: string;
  /** The trigger node id. */
  triggerId: string;
  payload: JsonObject;
  /** Envelope id of the message that fired the trigger, or the firing / request key. */
  causeId: string;
  occurredAt: Date;
}

export function startRunCommand(fields: StartRunFields): WorkflowCommand {
  const envelope = newEnvelope(fields.workspaceId, fields.occurredAt);
  envelope.id = commandIdOf(
    "start",
    fields.workspaceId,
    fields.workflowId,
    fields.triggerId,
    fields.contactId,
    fields.causeId,
  );
  return create(WorkflowCommandSchema, {
    envelope,
    command: {
      case: "startRun",
      value: create(StartRunSchema, {
        workflowId: fields.workflowId,
        version: fields.version,
        contactId: fields.contactId,
        triggerId: fields.triggerId,
        triggerPayload: fields.payload,
        causeMessageId: fields.causeId,
      }),
    },
  });
}

export interface CancelRunFields {
  workspaceId: string;
  workflowId: string;
  contactId: string;
  reason: string;
  causeId: string;
  occurredAt: Date;
}

/** Cancels every active run of the workflow for the contact (run_id empty). */
export function cancelRunCommand(fields: CancelRunFields): WorkflowCommand {
  const envelope = newEnvelope(fields.workspaceId, fields.occurredAt);
  envelope.id = commandIdOf("cancel", fields.workspaceId, fields.workflowId, fields.contactId, fields.causeId);
  return create(WorkflowCommandSchema, {
    envelope,
    command: {
      case: "cancelRun",
      value: create(CancelRunSchema, {
        workflowId: fields.workflowId,
        contactId: fields.contactId,
        reason: fields.reason,
      }),
    },
  });
}
