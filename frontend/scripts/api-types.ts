/**
 * `npm run api:types`: writes src/api/schema.ts, the panel's API types and each enum's values
 * as a constant (e.g. `auditActionValues`), with openapi-typescript from the OpenAPI document
 * the backend builds from its route specs (no server or database needed). api-types.test.ts
 * fails while the checked-in file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

export const SCHEMA_FILE = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url));

// Loaded at run time by its path: backend/tsconfig.json typechecks the backend, not the panel's.
const BACKEND_APP = new URL('../../backend/src/app.ts', import.meta.url).href;

type Backend = { buildApiDocument: (serverUrl: string) => object };

export async function renderApiTypes(): Promise<string> {
  const { buildApiDocument } = (await import(BACKEND_APP)) as Backend;
  const document = buildApiDocument('http://localhost:5001') as OpenAPI3;
  // A field with a default may be left out of a request: keep it optional in the types.
  const ast = await openapiTS(document, { defaultNonNullable: false, enumValues: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SCHEMA_FILE, await renderApiTypes());
  console.log(`Wrote ${SCHEMA_FILE}`);
}
