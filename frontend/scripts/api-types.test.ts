// @vitest-environment node
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderApiTypes, SCHEMA_FILE } from './api-types.js';

it('src/api/schema.ts is what the backend routes generate today', async () => {
  const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
  expect(checkedIn, 'stale API types: run `npm run api:types`').toBe(await renderApiTypes());
}, 60_000);
