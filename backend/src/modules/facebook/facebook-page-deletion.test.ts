import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  connectPageOfSameApp,
  postDelivery,
  signUpTenant,
  startTestWorker,
  useTestApi,
} from '../../testing/test-api.js';
import { queryDatabase, tablesHolding as tablesHoldingIn } from '../../testing/database-traces.js';
import { registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../fake-graph/fake-graph.js';
import { delivery, entry, optin, textMessage } from '../../testing/messenger-fixtures.js';

/** Its own database, so that nothing else's rows are searched and no other worker interferes. */
const api = useTestApi({}, { ownDatabase: true });
let worker: { stop: () => Promise<void> };
beforeAll(async () => {
  worker = await startTestWorker(api);
});
afterAll(() => worker?.stop());

const unique = (label: string) => `${label}${randomBytes(6).toString('hex')}`;

const sql = <Row = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  queryDatabase<Row>(api, text, params);
const tablesHolding = (needle: string) => tablesHoldingIn(api, needle);

describe('deleting a Facebook page', () => {
  it("leaves nothing its visitors wrote or were called anywhere in the database, and the other page's data whole", async () => {
    const admin = await signUpTenant(api);
    const deleted = await connectFacebookPage(api, admin.token);
    const keptPage = await connectPageOfSameApp(api, admin.token, deleted);
    const visitorOf = (pageId: string) =>
      registerRandomUser(api.fakeGraph, { pageId } as FakePage, { firstName: unique('Name') });
    const gone = { page: deleted.page.pageId, visitor: visitorOf(deleted.page.pageId) };
    const stays = { page: keptPage.page.pageId, visitor: visitorOf(keptPage.page.pageId) };
    const goneTexts = [unique('gone'), unique('goneShared')];
    const keptTexts = [unique('kept'), unique('keptShared')];
    const say = (side: typeof gone, text: string) =>
      entry(side.page, textMessage({ pageId: side.page, psid: side.visitor.psid, text }));
    const post = async (body: unknown) =>
      expect((await postDelivery(api, admin.tenant.key, body, deleted.appSecret)).status).toBe(200);

    await post(delivery(say(gone, goneTexts[0]!)));
    await post(
      delivery(
        entry(gone.page, optin({ pageId: gone.page, userRef: 'ref', psid: gone.visitor.psid })),
      ),
    );
    await post(delivery(say(stays, keptTexts[0]!)));
    await post(delivery(say(gone, goneTexts[1]!), say(stays, keptTexts[1]!)));
    await expect
      .poll(
        async () =>
          (
            await sql<{ done: boolean }>(
              `select not exists (select 1 from webhook_event where status = 'pending')
                 and (select count(*) from contact where first_name is not null) = 2 as done`,
            )
          )[0]!.done,
        { timeout: 15_000 },
      )
      .toBe(true);
    const goneTraces = [...goneTexts, gone.visitor.firstName!, gone.visitor.psid];
    for (const trace of goneTraces) expect(await tablesHolding(trace)).not.toEqual([]);

    const response = await api.request('DELETE', `/api/channels/facebook/${deleted.page.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(204);
    // Facebook goes on sending for the page until it is unsubscribed there: not stored.
    const afterwards = unique('afterwards');
    await post(delivery(say(gone, afterwards)));

    for (const trace of [...goneTraces, afterwards]) {
      expect(await tablesHolding(trace), trace).toEqual([]);
    }
    for (const text of keptTexts) {
      expect((await tablesHolding(text)).sort(), text).toEqual(['message', 'webhook_event']);
    }
    expect(await tablesHolding(stays.visitor.firstName!)).toEqual(['contact']);
  });
});
