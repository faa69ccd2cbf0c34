import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";
import type { DefinitionProblem } from "@cascade/workflow";

export type StudioErrorCode =
  | "MISSING_CREDENTIALS"
  | "UNKNOWN_KEY"
  | "FORBIDDEN_ROLE"
  | "FORBIDDEN_WORKSPACE"
  | "LOCAL_LOGIN_DISABLED"
  | "WORKFLOW_NOT_FOUND"
  | "WORKFLOW_EXISTS"
  | "VERSION_NOT_FOUND"
  | "RUN_NOT_FOUND"
  | "TEMPLATE_NOT_FOUND"
  | "KEY_NOT_FOUND"
  | "DRAFT_CONFLICT"
  | "INVALID_DEFINITION"
  | "NOT_PUBLISHED"
  | "INVALID_REQUEST";

/** A failure of a studio use case or guard; StudioErrorFilter maps its code to an HTTP status. */
export class StudioError extends Error {
  constructor(
    readonly code: StudioErrorCode,
    message: string,
    /** Validation problems of a definition (INVALID_DEFINITION), or the invalid request fields. */
    readonly details?: {
      problems?: readonly DefinitionProblem[];
      issues?: ReadonlyArray<{ field: string; message: string }>;
    },
  ) {
    super(message);
    this.name = "StudioError";
  }
}

export function statusOf(code: StudioErrorCode): HttpStatus {
  switch (code) {
    case "MISSING_CREDENTIALS":
    case "UNKNOWN_KEY":
      return HttpStatus.UNAUTHORIZED;
    case "FORBIDDEN_ROLE":
    case "FORBIDDEN_WORKSPACE":
    case "LOCAL_LOGIN_DISABLED":
      return HttpStatus.FORBIDDEN;
    case "WORKFLOW_NOT_FOUND":
    case "VERSION_NOT_FOUND":
    case "RUN_NOT_FOUND":
    case "TEMPLATE_NOT_FOUND":
    case "KEY_NOT_FOUND":
      return HttpStatus.NOT_FOUND;
    case "WORKFLOW_EXISTS":
    case "DRAFT_CONFLICT":
    case "NOT_PUBLISHED":
      return HttpStatus.CONFLICT;
    case "INVALID_DEFINITION":
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case "INVALID_REQUEST":
      return HttpStatus.BAD_REQUEST;
  }
}

interface ReplyLike {
  status(code: number): { send(body: unknown): void };
}

/** Answers a StudioError with `{ statusCode, code, message, problems?, issues? }`. */
@Catch(StudioError)
export class StudioErrorFilter implements ExceptionFilter<StudioError> {
  catch(error: StudioError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    const statusCode = statusOf(error.code);
    reply.status(statusCode).send({ statusCode, code: error.code, message: error.message, ...error.details });
  }
}
