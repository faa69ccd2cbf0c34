import { Catch, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";
import type { FastifyReply } from "fastify";
import { httpStatusOf, IngestError } from "./ingest-error.js";

/** Maps IngestError codes to HTTP: `{ statusCode, error, message, issues? }`, plus Retry-After for 429. */
@Catch(IngestError)
export class IngestErrorFilter implements ExceptionFilter {
  catch(error: IngestError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const statusCode = httpStatusOf(error.code);
    if (error.details.retryAfterSeconds !== undefined)
      void reply.header("retry-after", String(error.details.retryAfterSeconds));
    if (statusCode === 401) void reply.header("www-authenticate", 'Basic realm="cascade"');
    void reply.status(statusCode).send({
      statusCode,
      error: error.code,
      message: error.message,
      ...(error.details.issues ? { issues: error.details.issues } : {}),
    });
  }
}
