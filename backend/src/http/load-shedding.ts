import type { Middleware } from 'koa';
import { OverloadedError } from '../errors.js';
import type { AppState } from './state.js';

/** What a refused caller is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Refuses a request beyond `maxInFlight` answered at once with 503 OVERLOADED and
 * `Retry-After`, before any work. An api offered more than it can answer would otherwise
 * queue without bound: its memory grows, every answer slows, and Facebook's webhook timeout
 * passes for every delivery instead of a few. Facebook retries a refused delivery, the panel
 * its calls. `/health` is always answered, so a load balancer sees a busy api, not a dead one.
 */
export function shedLoad(maxInFlight: number): Middleware<AppState> {
  let inFlight = 0;
  return async function limitRequestsInFlight(ctx, next) {
    if (ctx.path === '/health') return next();
    if (inFlight >= maxInFlight) throw new OverloadedError(RETRY_AFTER_SECONDS);
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
}
