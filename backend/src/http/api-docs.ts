import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type Router from '@koa/router';
import send from 'koa-send';
import type { AppState } from './state.js';

/** Where the OpenAPI document is rendered for people. */
export const API_DOCS_PATH = '/api/docs';

/**
 * Swagger UI's files, from the installed swagger-ui-dist package: nothing is fetched from a
 * CDN, so the page works on a network without the internet. Only these files are served.
 */
const SWAGGER_UI_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;
const swaggerUiDir = dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
);

/**
 * The page loads the renderer and its start-up script as files of this origin, with no
 * inline script: the app's Content-Security-Policy (script-src 'self') holds here unchanged.
 */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Omni API</title>
    <link rel="stylesheet" href="${API_DOCS_PATH}/swagger-ui.css" />
  </head>
  <body>
    <div id="api-docs"></div>
    <script src="${API_DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${API_DOCS_PATH}/start.js"></script>
  </body>
</html>
`;

// validatorUrl: null — Swagger UI would otherwise send the document to validator.swagger.io.
const START_SCRIPT = `window.SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api-docs',
  deepLinking: true,
  validatorUrl: null,
});
`;

/** GET /api/docs: the OpenAPI document of /api/openapi.json, rendered by Swagger UI. */
export function registerApiDocs(router: Router<AppState>): void {
  router.get(API_DOCS_PATH, (ctx) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = DOCS_PAGE;
  });
  router.get(`${API_DOCS_PATH}/start.js`, (ctx) => {
    ctx.type = 'application/javascript';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = START_SCRIPT;
  });
  for (const file of SWAGGER_UI_FILES) {
    router.get(`${API_DOCS_PATH}/${file}`, async (ctx) => {
      // Not content-hashed: cached for a day, then revalidated.
      await send(ctx, file, { root: swaggerUiDir, maxage: 24 * 3600 * 1000 });
    });
  }
}
