import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";

export type TriggersErrorCode = "WORKFLOW_NOT_PUBLISHED" | "INVALID_FILTER";

/** A failure of a triggers use case, mapped to an HTTP status by TriggersErrorFilter. */
export class TriggersError extends Error {
  constructor(
    readonly code: TriggersErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "TriggersError";
  }
}

function statusOf(code: TriggersErrorCode): HttpStatus {
  switch (code) {
    case "WORKFLOW_NOT_PUBLISHED":
      return HttpStatus.NOT_FOUND;
    case "INVALID_FILTER":
      return HttpStatus.BAD_REQUEST;
  }
}

/** Answers a TriggersError with its status, code, field and message. */
@Catch(TriggersError)
export class TriggersErrorFilter implements ExceptionFilter<TriggersError> {
  catch(error: TriggersError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
    const statusCode = statusOf(error.code);
    reply.status(statusCode).send({ statusCode, code: error.code, field: error.field, message: error.message });
  }
}
