import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import send from 'koa-send';

/**
 * Serves the built Vue panel. Hashed assets are cached for a year; any other GET that is not
 * an API path gets index.html, so the panel's own router handles deep links.
 */
export function servePanel(panelDir: string): Middleware {
  const serveFiles = serve(panelDir, {
    index: false,
    setHeaders: (response, path) => {
      if (path.includes('/assets/'))
        response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  return async function panel(ctx, next) {
    if (isServerPath(ctx.path) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    await serveFiles(ctx, async () => {
      if (ctx.path.startsWith('/assets/')) return; // a missing asset is a real 404
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', { root: panelDir });
    });
  };
}

export function isPanelBuilt(panelDir: string): boolean {
  return existsSync(join(panelDir, 'index.html'));
}

function isServerPath(path: string): boolean {
  return (
    path === '/health' ||
    path === '/metrics' ||
    path.startsWith('/api/') ||
    // The public data-deletion pages are rendered by the server, not the panel.
    path.startsWith('/data-deletion/') ||
    path.startsWith('/socket.io/')
  );
}
