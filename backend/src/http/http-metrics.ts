import type { Middleware } from 'koa';
import { SANDBOX_GRAPH_PATH } from '../config.js';

/** Records one answered request; `route` is a bounded name, never the raw path. */
export type RecordHttpRequest = (
  method: string,
  route: string,
  status: number,
  seconds: number,
) => void;

/**
 * Times every request Koa answers (socket.io's never reach it). The route label is the
 * router's matched template (`/api/conversations/:id`), so ids never become series; paths
 * no route matched are `panel` (the panel's files and deep links), `sandbox-graph` (demo mode)
 * or `unmatched`.
 */
export function measureHttpRequests(record: RecordHttpRequest): Middleware {
  return async function httpMetrics(ctx, next) {
    const startedAt = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      const route = typeof matched === 'string' ? matched : unmatchedRoute(ctx.path);
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      record(ctx.method, route, ctx.status, seconds);
    }
  };
}

function unmatchedRoute(path: string): string {
  if (path.startsWith(SANDBOX_GRAPH_PATH)) return 'sandbox-graph';
  if (path === '/health' || path.startsWith('/api/') || path.startsWith('/socket.io/'))
    return 'unmatched';
  return 'panel';
}
