import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeGraphErrors, toGraphErrorBody } from '../../fake-graph/fake-graph-errors.js';
import { registerRandomPage, registerRandomUser } from '../../../testing/fake-graph-fixtures.js';
import type { FakePage } from '../../fake-graph/fake-graph.js';
import { startFakeGraphServer, type FakeGraphServer } from '../../fake-graph/fake-graph-server.js';
import { computeAppSecretProof, FetchGraphClient } from './fetch-graph-client.js';
import { SUBSCRIBED_FIELDS, type PageCredentials } from './graph-client.js';
import { GraphApiError } from './graph-errors.js';

describe('computeAppSecretProof', () => {
  it('is the hex HMAC-SHA256 of the token keyed with the app secret (RFC 4231, case 2)', () => {
    expect(computeAppSecretProof('what do ya want for nothing?', 'Jefe')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('FetchGraphClient against the fake Graph API', () => {
  let fakeGraph: FakeGraphServer;
  let client: FetchGraphClient;
  let page: FakePage;
  let credentials: PageCredentials;

  beforeAll(async () => {
    fakeGraph = await startFakeGraphServer();
    client = new FetchGraphClient({ baseUrl: fakeGraph.url, version: 'v25.0', timeoutMs: 2_000 });
  });
  afterAll(() => fakeGraph.close());
  beforeEach(() => {
    fakeGraph.clear();
    page = registerRandomPage(fakeGraph, { requireAppSecretProof: true });
    credentials = { accessToken: page.accessToken, appSecret: page.appSecret };
  });

  describe('getPageIdentity', () => {
    it("returns the token's page, sending the token and its appsecret_proof", async () => {
      await expect(client.getPageIdentity(credentials)).resolves.toEqual({
        id: page.pageId,
        name: page.name,
      });
      expect(fakeGraph.requests()).toEqual([
        expect.objectContaining({
          method: 'GET',
          version: 'v25.0',
          path: '/me',
          query: {
            fields: 'id,name',
            access_token: page.accessToken,
            appsecret_proof: computeAppSecretProof(page.accessToken, page.appSecret),
          },
        }),
      ]);
    });

    it('fails with kind invalid_token for a token Facebook does not know', async () => {
      const error = await rejectionOf(
        client.getPageIdentity({ accessToken: 'EAAGnot-a-token', appSecret: page.appSecret }),
      );
      expect(error).toMatchObject({
        kind: 'invalid_token',
        httpStatus: 400,
        code: 190,
        subcode: null,
        type: 'OAuthException',
        facebookMessage: 'Invalid OAuth access token - Cannot parse access token',
        isRetryable: false,
      });
      expect(error.fbtraceId).toEqual(expect.any(String));
      expect(error.message).not.toContain('EAAGnot-a-token');
    });

    it('fails with kind invalid_token once the password behind the token changed', async () => {
      fakeGraph.revokeToken(page.accessToken, 'password_changed');
      await expect(client.getPageIdentity(credentials)).rejects.toMatchObject({
        kind: 'invalid_token',
        code: 190,
        subcode: 460,
      });
    });

    it('is refused when the app secret is wrong (the proof does not match)', async () => {
      const error = await rejectionOf(
        client.getPageIdentity({ ...credentials, appSecret: 'not-the-secret' }),
      );
      expect(error).toMatchObject({
        code: 100,
        type: 'GraphMethodException',
        facebookMessage: 'Invalid appsecret_proof provided in the API argument',
      });
    });
  });

  describe('subscribePage and getSubscribedFields', () => {
    it("subscribes the page to Omni's fields and reads them back", async () => {
      await expect(client.getSubscribedFields(page.pageId, credentials)).resolves.toEqual([]);
      await client.subscribePage(page.pageId, credentials, SUBSCRIBED_FIELDS);
      expect(fakeGraph.subscribedFields(page.pageId)).toEqual([...SUBSCRIBED_FIELDS]);
      await expect(client.getSubscribedFields(page.pageId, credentials)).resolves.toEqual([
        ...SUBSCRIBED_FIELDS,
      ]);
      expect(fakeGraph.requests()[1]).toMatchObject({
        method: 'POST',
        path: `/${page.pageId}/subscribed_apps`,
        query: { subscribed_fields: SUBSCRIBED_FIELDS.join(',') },
      });
    });

    it("reports Facebook's refusal as a GraphApiError", async () => {
      fakeGraph.failNext({ path: `/${page.pageId}/subscribed_apps` }, fakeGraphErrors.rateLimited);
      await expect(
        client.subscribePage(page.pageId, credentials, SUBSCRIBED_FIELDS),
      ).rejects.toMatchObject({
        kind: 'rate_limited',
        code: 613,
        isRetryable: true,
      });
      expect(fakeGraph.subscribedFields(page.pageId)).toEqual([]);
    });
  });

  describe('getUserProfile', () => {
    it("returns the visitor's names and photo", async () => {
      const user = registerRandomUser(fakeGraph, page);
      await expect(client.getUserProfile(user.psid, credentials)).resolves.toEqual({
        firstName: user.firstName,
        lastName: user.lastName,
        profilePicUrl: user.profilePic,
      });
      expect(fakeGraph.requests()[0]).toMatchObject({
        method: 'GET',
        path: `/${user.psid}`,
        query: { fields: 'first_name,last_name,profile_pic' },
      });
    });

    it.each(['empty', 'no_profile', 'insufficient_permission'] as const)(
      'gives nulls when profile access is missing (%s)',
      async (profileAccess) => {
        const user = registerRandomUser(fakeGraph, page, { profileAccess });
        await expect(client.getUserProfile(user.psid, credentials)).resolves.toEqual({
          firstName: null,
          lastName: null,
          profilePicUrl: null,
        });
      },
    );

    it('fails for a PSID the page does not know', async () => {
      await expect(client.getUserProfile('1234567890', credentials)).rejects.toMatchObject({
        kind: 'invalid_parameter',
        code: 100,
        subcode: 33,
      });
    });
  });

  describe('sendMessage', () => {
    it('sends a text reply and returns the message id the echo will carry', async () => {
      const user = registerRandomUser(fakeGraph, page);
      const { messageId } = await client.sendMessage(
        {
          recipientPsid: user.psid,
          messagingType: 'RESPONSE',
          message: { text: 'Hello! How can we help?', metadata: 'omni:message-1' },
        },
        credentials,
      );
      expect(messageId).toMatch(/^m_/);
      expect(fakeGraph.requests()[0]?.body).toEqual({
        recipient: { id: user.psid },
        messaging_type: 'RESPONSE',
        message: { text: 'Hello! How can we help?', metadata: 'omni:message-1' },
      });
      expect(fakeGraph.sentMessages(page.pageId)).toEqual([
        expect.objectContaining({
          recipientId: user.psid,
          messageId,
          text: 'Hello! How can we help?',
          metadata: 'omni:message-1',
          tag: null,
        }),
      ]);
    });

    it('sends a human agent reply with its tag', async () => {
      const user = registerRandomUser(fakeGraph, page);
      await client.sendMessage(
        {
          recipientPsid: user.psid,
          messagingType: 'MESSAGE_TAG',
          tag: 'HUMAN_AGENT',
          message: { text: 'Sorry for the wait.' },
        },
        credentials,
      );
      expect(fakeGraph.sentMessages(page.pageId)[0]).toMatchObject({
        messagingType: 'MESSAGE_TAG',
        tag: 'HUMAN_AGENT',
      });
    });

    it('sends an attachment by URL', async () => {
      const user = registerRandomUser(fakeGraph, page);
      const attachment = {
        type: 'image',
        payload: { url: 'https://files.example.test/photo.jpg', is_reusable: true },
      } as const;
      await client.sendMessage(
        { recipientPsid: user.psid, messagingType: 'RESPONSE', message: { attachment } },
        credentials,
      );
      expect(fakeGraph.sentMessages(page.pageId)[0]?.message).toEqual({ attachment });
    });

    it('fails with kind window_closed, also when Facebook says so with HTTP 200', async () => {
      const user = registerRandomUser(fakeGraph, page);
      const windowClosedBody = toGraphErrorBody(fakeGraphErrors.outsideWindow);
      fakeGraph.failNext(
        { method: 'POST', path: '/me/messages' },
        { httpStatus: 200, body: windowClosedBody },
      );
      const error = await rejectionOf(client.sendMessage(textTo(user.psid), credentials));
      expect(error).toMatchObject({
        kind: 'window_closed',
        httpStatus: 200,
        code: 10,
        subcode: 2018278,
        fbtraceId: windowClosedBody.error.fbtrace_id,
        isRetryable: false,
        reason: 'The 24-hour reply window has closed.',
      });
    });

    it('fails with kind temporary on an HTTP 500 error from Facebook', async () => {
      const user = registerRandomUser(fakeGraph, page);
      fakeGraph.failNext({ path: '/me/messages' }, fakeGraphErrors.temporaryFailure);
      await expect(client.sendMessage(textTo(user.psid), credentials)).rejects.toMatchObject({
        kind: 'temporary',
        httpStatus: 500,
        code: 2,
        isRetryable: true,
        isOutcomeUnknown: false,
      });
    });

    it('treats a gateway error without a Graph body as temporary with an unknown outcome', async () => {
      const user = registerRandomUser(fakeGraph, page);
      fakeGraph.failNext({ path: '/me/messages' }, { httpStatus: 502, body: '<html>Bad Gateway' });
      await expect(client.sendMessage(textTo(user.psid), credentials)).rejects.toMatchObject({
        kind: 'temporary',
        httpStatus: 502,
        code: null,
        isOutcomeUnknown: true,
      });
    });

    it('fails for a visitor Facebook does not know, with the reason', async () => {
      const error = await rejectionOf(client.sendMessage(textTo('1234567890'), credentials));
      expect(error).toMatchObject({ kind: 'invalid_parameter', code: 100, subcode: 2018001 });
      expect(error.reason).toBe('Facebook refused the request as invalid: No matching user found.');
    });
  });

  describe('sendSenderAction', () => {
    it('sends the action alone', async () => {
      const user = registerRandomUser(fakeGraph, page);
      await client.sendSenderAction(user.psid, 'typing_on', credentials);
      expect(fakeGraph.requests()[0]?.body).toEqual({
        recipient: { id: user.psid },
        sender_action: 'typing_on',
      });
      expect(fakeGraph.sentSenderActions(page.pageId)).toEqual([
        expect.objectContaining({ recipientId: user.psid, action: 'typing_on' }),
      ]);
      expect(fakeGraph.sentMessages(page.pageId)).toEqual([]);
    });
  });

  describe('when no answer comes', () => {
    let impatientClient: FetchGraphClient;
    beforeAll(() => {
      impatientClient = new FetchGraphClient({
        baseUrl: fakeGraph.url,
        version: 'v25.0',
        timeoutMs: 200,
      });
    });

    it('a send that timed out may have been sent: its outcome is unknown', async () => {
      const user = registerRandomUser(fakeGraph, page);
      fakeGraph.failNext({ path: '/me/messages' }, 'timeout-after-processing');
      const error = await rejectionOf(impatientClient.sendMessage(textTo(user.psid), credentials));
      expect(error).toMatchObject({
        kind: 'temporary',
        httpStatus: null,
        isRetryable: true,
        isOutcomeUnknown: true,
      });
      expect(error.message).toContain('did not answer within 200 ms');
      expect(fakeGraph.sentMessages(page.pageId)).toHaveLength(1);
    });

    it('a read that timed out changed nothing', async () => {
      fakeGraph.failNext({ path: '/me' }, 'timeout');
      await expect(impatientClient.getPageIdentity(credentials)).rejects.toMatchObject({
        kind: 'temporary',
        isRetryable: true,
        isOutcomeUnknown: false,
      });
    });

    it('a connection dropped after the send left has an unknown outcome', async () => {
      const user = registerRandomUser(fakeGraph, page);
      fakeGraph.failNext({ path: '/me/messages' }, 'network');
      await expect(client.sendMessage(textTo(user.psid), credentials)).rejects.toMatchObject({
        kind: 'temporary',
        httpStatus: null,
        isRetryable: true,
        isOutcomeUnknown: true,
      });
    });

    it('a refused connection sent nothing', async () => {
      const stopped = await startFakeGraphServer();
      const url = stopped.url;
      await stopped.close();
      const offline = new FetchGraphClient({ baseUrl: url, version: 'v25.0' });
      const error = await rejectionOf(offline.sendMessage(textTo('1'), credentials));
      expect(error).toMatchObject({
        kind: 'temporary',
        isRetryable: true,
        isOutcomeUnknown: false,
      });
      expect(error.message).toContain('ECONNREFUSED');
    });
  });

  it('never lets the token or the app secret into an error', async () => {
    fakeGraph.failNext(
      { path: '/me' },
      {
        code: 190,
        message: `Malformed access token ${page.accessToken} (secret ${page.appSecret})`,
        userMessage: `Token ${page.accessToken}`,
      },
    );
    const error = await rejectionOf(client.getPageIdentity(credentials));
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain(page.accessToken);
    expect(everything).not.toContain(page.appSecret);
    expect(error.facebookMessage).toBe('Malformed access token [redacted] (secret [redacted])');
  });
});

describe('FetchGraphClient with an injected fetch', () => {
  const credentials = { accessToken: 'page-token', appSecret: 'app-secret' };

  function clientAnswering(status: number, body: string, seen: string[] = []) {
    return new FetchGraphClient({
      baseUrl: 'https://graph.example.test/',
      version: 'v24.0',
      fetch: async (input) => {
        seen.push(String(input));
        return new Response(body, { status, headers: { 'content-type': 'application/json' } });
      },
    });
  }

  it('builds the versioned URL with the token and its proof', async () => {
    const seen: string[] = [];
    await clientAnswering(200, '{"id":"1","name":"Shop"}', seen).getPageIdentity(credentials);
    const url = new URL(seen[0] ?? '');
    expect(url.origin + url.pathname).toBe('https://graph.example.test/v24.0/me');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      fields: 'id,name',
      access_token: 'page-token',
      appsecret_proof: computeAppSecretProof('page-token', 'app-secret'),
    });
  });

  it('refuses an answer in an unexpected shape', async () => {
    await expect(
      clientAnswering(200, '{"unexpected":true}').getPageIdentity(credentials),
    ).rejects.toMatchObject({ name: 'GraphApiError', kind: 'unknown', httpStatus: 200 });
    // Facebook answered 200 to a call that changes something: it may have done it.
    await expect(
      clientAnswering(200, '{"success":false}').subscribePage('1', credentials, SUBSCRIBED_FIELDS),
    ).rejects.toMatchObject({ kind: 'unknown', isOutcomeUnknown: true });
  });
});

function textTo(psid: string) {
  return { recipientPsid: psid, messagingType: 'RESPONSE', message: { text: 'Hi' } } as const;
}

async function rejectionOf(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GraphApiError);
  return error as GraphApiError;
}
