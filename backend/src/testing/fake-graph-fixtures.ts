import { randomBytes } from 'node:crypto';
import {
  newGraphId,
  type FakeGraph,
  type FakePage,
  type FakeUser,
  type RegisterPageInput,
} from '../modules/fake-graph/fake-graph.js';

/** Test data for the fake Graph API: fresh ids and tokens, so tests never share a page. */

/** A new page with a random id, token and app secret (overrides win). */
export function registerRandomPage(
  graph: FakeGraph,
  overrides: Partial<RegisterPageInput> = {},
): FakePage {
  return graph.registerPage({
    pageId: newGraphId(),
    name: `Test Page ${randomBytes(3).toString('hex')}`,
    accessToken: `EAAG${randomBytes(30).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
    ...overrides,
  });
}

/** A visitor of the page with a full profile (overrides win). */
export function registerRandomUser(
  graph: FakeGraph,
  page: FakePage,
  overrides: Partial<Omit<FakeUser, 'pageId'>> = {},
): FakeUser {
  return graph.registerUser({
    pageId: page.pageId,
    psid: newGraphId(),
    firstName: 'Ada',
    lastName: 'Lovelace',
    profilePic: 'https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=1&ext=1',
    ...overrides,
  });
}
