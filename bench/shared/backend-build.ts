import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as MessengerFixtures from '../../backend/dist/testing/messenger-fixtures.js';

/** Where builds keep the webhook fixtures: testing/ now, the inbound module before issue 15. */
const MESSENGER_FIXTURES = [
  'testing/messenger-fixtures.js',
  'modules/facebook/inbound/messenger-fixtures.js',
];

/**
 * The webhook fixtures (deliveries as Facebook sends them) of the build that runs, which may
 * be an older commit's (--backend-dist): each layout the project has had is tried.
 */
export async function importMessengerFixtures(
  backendDist: string,
): Promise<typeof MessengerFixtures> {
  for (const path of MESSENGER_FIXTURES) {
    const file = join(backendDist, path);
    if (existsSync(file))
      return (await import(pathToFileURL(file).href)) as typeof MessengerFixtures;
  }
  throw new Error(`${backendDist} has no messenger-fixtures.js: run "npm run build -w backend".`);
}
