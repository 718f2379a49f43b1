/**
 * Domain errors. Services throw these; one middleware (http/error-handler.ts) turns them into
 * the api.md error body. Each has a stable machine-readable `code`.
 */
export class AppError extends Error {
  constructor(
    /** Stable SNAKE_CASE code that clients may branch on. */
    readonly code: string,
    /** A sentence a person understands; safe to show to the caller. */
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
    /** When set, the answer's `Retry-After` header: the caller may try again after it. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * 400 with a message per field. The code is VALIDATION_FAILED unless a more precise one
 * applies to the whole request (WEAK_PASSWORD: see http/schemas.ts passwordSchema).
 */
export class ValidationError extends AppError {
  constructor(
    fields: Record<string, string>,
    message = 'Some fields are missing or invalid.',
    code = 'VALIDATION_FAILED',
  ) {
    super(code, message, 400, { fields });
  }
}

/** A request that is well-formed but wrong in a way its caller can fix (e.g. WRONG_PASSWORD). */
export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 400, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue.', code = 'UNAUTHENTICATED') {
    super(code, message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this.', code = 'FORBIDDEN') {
    super(code, message, 403);
  }
}

/**
 * 403 USER_SESSION_REQUIRED: an API token acts as the tenant's admin but is nobody; what
 * only a person does (replying as an operator, presence, their own profile) needs a sign-in.
 */
export class UserSessionRequiredError extends AppError {
  constructor() {
    super(
      'USER_SESSION_REQUIRED',
      'An API token cannot do this: it needs a person signed in.',
      403,
    );
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, details?: Record<string, unknown>) {
    super('NOT_FOUND', `${what} was not found.`, 404, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}

/** 410: what the request names existed but is gone for good (a used or expired link). */
export class GoneError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 410);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 422, details);
  }
}

/**
 * 429: the caller must wait `retryAfterSeconds` (also in details); the error handler sends it
 * as the `Retry-After` header, so every rate limit answers the same way.
 */
export class RateLimitedError extends AppError {
  declare readonly retryAfterSeconds: number;

  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(code, message, 429, { retryAfterSeconds }, retryAfterSeconds);
  }
}

/**
 * 503 OVERLOADED: the api is answering as many requests as it may at once; the caller tries
 * again after `Retry-After` (Facebook retries a refused webhook delivery by itself).
 */
export class OverloadedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      'OVERLOADED',
      'The server is busy. Try again in a moment.',
      503,
      { retryAfterSeconds },
      retryAfterSeconds,
    );
  }
}

/** Too many sign-ins or sign-ups: TOO_MANY_ATTEMPTS, with the wait in whole minutes. */
export class TooManyAttemptsError extends RateLimitedError {
  constructor(retryAfterSeconds: number, what = 'attempts') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    const minutes = Math.ceil(seconds / 60);
    super(
      'TOO_MANY_ATTEMPTS',
      `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      seconds,
    );
  }
}
