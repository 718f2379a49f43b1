import { randomUUID } from 'node:crypto';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import type { AppState } from './state.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Gives each request an id (kept from a proxy's X-Request-Id when sane) and logs it once done. */
export function requestId(logger: Logger): Middleware<AppState> {
  return async function assignRequestId(ctx, next) {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const startedAt = performance.now();
    try {
      await next();
    } finally {
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - startedAt),
        },
        'request',
      );
    }
  };
}

/** A fresh ORM identity map per request (MikroORM's request context). */
export function ormRequestContext(orm: MikroORM): Middleware<AppState> {
  return function withOrmContext(_ctx, next) {
    return RequestContext.create(orm.em, next);
  };
}
