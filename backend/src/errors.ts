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
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Some fields are missing or invalid.') {
    super('VALIDATION_FAILED', message, 400, { fields });
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
  constructor(message = 'You do not have permission to do this.') {
    super('FORBIDDEN', message, 403);
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

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, 422, details);
  }
}
