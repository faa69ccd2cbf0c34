/**
 * Why the orchestrator refused a message. Consumers dead-letter them; only an unknown workflow or version is
 * retried first (with the bus's backoff), because a start can race ahead of its definition on another topic.
 */
export type OrchestratorErrorCode =
  | "INVALID_DEFINITION"
  | "DEFINITION_CONFLICT"
  | "UNKNOWN_WORKFLOW"
  | "UNKNOWN_VERSION"
  | "WORKFLOW_ARCHIVED"
  | "INVALID_COMMAND";

export class OrchestratorError extends Error {
  constructor(
    readonly code: OrchestratorErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "OrchestratorError";
  }
}

/** Codes that may heal within seconds: the definition is on workflow.definitions.v1 but not stored yet. */
export function mayBeRacingItsDefinition(error: OrchestratorError): boolean {
  return error.code === "UNKNOWN_WORKFLOW" || error.code === "UNKNOWN_VERSION";
}
