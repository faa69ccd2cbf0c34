/** Why the orchestrator refused a message. None of these heal by retrying: consumers dead-letter them. */
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
