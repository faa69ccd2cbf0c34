import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { v7 as uuidv7 } from "uuid";
import { ContractError } from "./contract-error.js";
import { EnvelopeSchema, type Envelope } from "./gen/cascade/common/v1/envelope_pb.js";
import type { EnvelopeFields } from "./topic.js";

/**
 * A fresh envelope for a message about to be published: a new UUIDv7 id (time-ordered, so ids
 * sort by creation time), the workspace, and when the described fact happened (default: now).
 */
export function newEnvelope(workspace: string, occurredAt: Date = new Date()): Envelope {
  if (workspace.trim() === "") {
    throw new ContractError("ENVELOPE_INVALID", "newEnvelope: workspace is empty");
  }
  if (Number.isNaN(occurredAt.getTime())) {
    throw new ContractError("ENVELOPE_INVALID", "newEnvelope: occurredAt is an invalid Date");
  }
  return create(EnvelopeSchema, { id: uuidv7(), workspace, occurredAt: timestampFromDate(occurredAt) });
}

/**
 * The envelope as plain fields (occurredAt as an ISO 8601 UTC string), checking that id,
 * workspace and occurred_at are all present. `owner` names the message type in errors.
 */
export function toEnvelopeFields(envelope: Envelope | undefined, owner = "message"): EnvelopeFields {
  if (envelope === undefined) {
    throw new ContractError("ENVELOPE_INVALID", `${owner}: envelope is missing`);
  }
  if (envelope.id === "") {
    throw new ContractError("ENVELOPE_INVALID", `${owner}: envelope.id is empty`);
  }
  if (envelope.workspace === "") {
    throw new ContractError("ENVELOPE_INVALID", `${owner}: envelope.workspace is empty`);
  }
  if (envelope.occurredAt === undefined) {
    throw new ContractError("ENVELOPE_INVALID", `${owner}: envelope.occurred_at is missing`);
  }
  const occurredAt = timestampDate(envelope.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new ContractError("ENVELOPE_INVALID", `${owner}: envelope.occurred_at is out of range`);
  }
  return { id: envelope.id, workspace: envelope.workspace, occurredAt: occurredAt.toISOString() };
}

/** The inverse of toEnvelopeFields, e.g. for an outbox row that stored the fields. */
export function fromEnvelopeFields(fields: EnvelopeFields): Envelope {
  const occurredAt = new Date(fields.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) {
    throw new ContractError("ENVELOPE_INVALID", `envelope.occurredAt is not a date: "${fields.occurredAt}"`);
  }
  return create(EnvelopeSchema, {
    id: fields.id,
    workspace: fields.workspace,
    occurredAt: timestampFromDate(occurredAt),
  });
}
