import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from "@nestjs/common";

export type ProfilesErrorCode = "CONTACT_NOT_FOUND";

/** A failure of a profiles use case, mapped to an HTTP status by ProfilesErrorFilter. */
export class ProfilesError extends Error {
  constructor(
    readonly code: ProfilesErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ProfilesError";
  }
}

function statusOf(code: ProfilesErrorCode): HttpStatus {
  switch (code) {
    case "CONTACT_NOT_FOUND":
      return HttpStatus.NOT_FOUND;
  }
}

/** Answers a ProfilesError with its status, code and message. */
@Catch(ProfilesError)
export class ProfilesErrorFilter implements ExceptionFilter<ProfilesError> {
  catch(error: ProfilesError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<{ status(code: number): { send(body: unknown): void } }>();
    const statusCode = statusOf(error.code);
    reply.status(statusCode).send({ statusCode, code: error.code, message: error.message });
  }
}
