import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";

export type PredictionsErrorCode = "UNKNOWN_MODEL" | "VERSION_NOT_FOUND" | "VERSION_NOT_ROLLBACKABLE";

/** A failure of a predictions use case, mapped to an HTTP status by PredictionsErrorFilter. */
export class PredictionsError extends Error {
  override readonly name = "PredictionsError";

  constructor(
    readonly code: PredictionsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function statusOf(code: PredictionsErrorCode): HttpStatus {
  switch (code) {
    case "UNKNOWN_MODEL":
    case "VERSION_NOT_FOUND":
      return HttpStatus.NOT_FOUND;
    case "VERSION_NOT_ROLLBACKABLE":
      return HttpStatus.CONFLICT;
  }
}

@Catch(PredictionsError)
export class PredictionsErrorFilter implements ExceptionFilter<PredictionsError> {
  catch(error: PredictionsError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
    const statusCode = statusOf(error.code);
    reply.status(statusCode).send({ statusCode, code: error.code, message: error.message });
  }
}
