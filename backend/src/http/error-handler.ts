import type { Middleware } from 'koa';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AppState } from './state.js';

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** Codes for errors Koa or its middleware raise with an HTTP status (http-errors). */
const CODE_BY_HTTP_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The one place where errors become HTTP responses in the api.md format. Domain errors keep
 * their code and message; errors from Koa's own stack (bad JSON, body too large) keep their
 * status; anything else is a logged 500 that tells the caller only the request id.
 */
export function errorHandler(logger: Logger): Middleware<AppState> {
  return async function handleErrors(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', 'There is nothing at this address.', 404);
      }
    } catch (error) {
      const { status, body } = toErrorResponse(error, ctx.state.requestId);
      if (status >= 500) {
        logger.error(
          { err: error, requestId: ctx.state.requestId, path: ctx.path },
          'request failed',
        );
      }
      ctx.status = status;
      ctx.body = body;
      if (error instanceof AppError && error.retryAfterSeconds !== undefined)
        ctx.set('Retry-After', String(error.retryAfterSeconds));
    }
  };
}

export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      },
    };
  }
  const httpError = error as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
    type?: unknown;
  };
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    const isBadJson = error instanceof SyntaxError || httpError.type === 'entity.parse.failed';
    return {
      status: httpError.status,
      body: {
        error: {
          code: isBadJson
            ? 'INVALID_JSON'
            : (CODE_BY_HTTP_STATUS[httpError.status] ?? 'BAD_REQUEST'),
          message: isBadJson
            ? 'The request body is not valid JSON.'
            : httpError.expose && typeof httpError.message === 'string'
              ? httpError.message
              : 'The request could not be processed.',
        },
      },
    };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL_ERROR',
        message:
          'Something went wrong on our side. Try again; if it keeps happening, quote the request id.',
        details: { requestId },
      },
    },
  };
}
