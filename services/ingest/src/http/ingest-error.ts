/** Why an ingest operation was refused; mapped to an HTTP status by IngestErrorFilter. */
export type IngestErrorCode =
  | "invalid_request"
  | "missing_credentials"
  | "unknown_write_key"
  | "unknown_admin_key"
  | "forbidden_workspace"
  | "bad_signature"
  | "not_found"
  | "not_configured"
  | "rate_limited";

export interface FieldIssue {
  /** Dotted path of the field, e.g. `batch.3.event`; `body` for the whole body. */
  field: string;
  message: string;
}

/** A typed error of ingest's use cases and guards; never an HTTP exception (see IngestErrorFilter). */
export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly details: { issues?: FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "IngestError";
  }

  static invalid(issues: FieldIssue[]): IngestError {
    return new IngestError("invalid_request", issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "), {
      issues,
    });
  }
}

export function httpStatusOf(code: IngestErrorCode): number {
  switch (code) {
    case "invalid_request":
      return 400;
    case "missing_credentials":
    case "unknown_write_key":
    case "unknown_admin_key":
    case "bad_signature":
      return 401;
    case "forbidden_workspace":
      return 403;
    case "not_found":
    case "not_configured":
      return 404;
    case "rate_limited":
      return 429;
  }
}
