import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeGraphErrors } from './fake-graph-errors.js';
import { registerRandomPage, registerRandomUser } from '../../testing/fake-graph-fixtures.js';
import { createFakeGraphRouter } from './fake-graph-router.js';
import { startFakeGraphServer, type FakeGraphServer } from './fake-graph-server.js';
import { FakeGraph, type FakePage, type FakeUser } from './fake-graph.js';

/**
 * The fake Graph API against the facts in shared/docs/messenger-platform.md: the shapes Omni
 * relies on and the error bodies Facebook answers with. Raw HTTP here, so that the fake is
 * checked on its own and not through Omni's client.
 */

type GraphAnswer = { status: number; body: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any

let fakeGraph: FakeGraphServer;
let page: FakePage;
let user: FakeUser;

beforeAll(async () => {
  fakeGraph = await startFakeGraphServer();
});
afterAll(() => fakeGraph.close());
beforeEach(() => {
  fakeGraph.clear();
  page = registerRandomPage(fakeGraph);
  user = registerRandomUser(fakeGraph, page);
});

/** One Graph call with the page's token (and its proof, unless told otherwise). */
async function callGraph(
  method: string,
  path: string,
  options: {
    query?: Record<string, string>;
    body?: unknown;
    form?: Record<string, string>;
    token?: string | null;
    proof?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<GraphAnswer> {
  const token = options.token === undefined ? page.accessToken : options.token;
  const proof =
    options.proof === undefined && token ? proofFor(token, page.appSecret) : options.proof;
  const query = new URLSearchParams({
    ...options.query,
    ...(token ? { access_token: token } : {}),
    ...(proof ? { appsecret_proof: proof } : {}),
  });
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${fakeGraph.url}${path}?${query.toString()}`, {
    method,
    headers,
    body,
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return {
    status: response.status,
    body: isJson ? JSON.parse(text) : text,
    headers: response.headers,
  };
}

function proofFor(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex');
}

const send = (body: Record<string, unknown>) => callGraph('POST', '/v25.0/me/messages', { body });

/** Facebook's error body, exactly: these fields, `error_subcode` only when there is one. */
function graphError({ code, message, subcode, type = 'OAuthException' }: ExpectedError) {
  const error: Record<string, unknown> = {
    message,
    type,
    code,
    fbtrace_id: expect.stringMatching(/^[\w-]{10,}$/),
  };
  if (subcode !== undefined) error['error_subcode'] = subcode;
  return { error };
}
type ExpectedError = { code: number; message: string; subcode?: number; type?: string };

describe('tokens and appsecret_proof', () => {
  it('answers an unknown token with 190 "Cannot parse access token"', async () => {
    const answer = await callGraph('GET', '/v25.0/me', { token: 'EAAGunknown', proof: null });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      graphError({ code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }),
    );
    expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('asks for a token when there is none', async () => {
    const answer = await callGraph('GET', '/v25.0/me', { token: null });
    expect(answer.body).toEqual(
      graphError({ code: 104, message: 'An access token is required to request this resource.' }),
    );
  });

  it('takes the token from an Authorization: Bearer header too', async () => {
    const answer = await callGraph('GET', '/v25.0/me', {
      token: null,
      headers: { authorization: `Bearer ${page.accessToken}` },
    });
    expect(answer.body).toEqual({ id: page.pageId, name: page.name });
  });

  it.each([
    [
      'password_changed',
      460,
      /session has been invalidated because the user changed their password/,
    ],
    ['expired', 463, /Session has expired on/],
    ['app_removed', 458, /has not authorized application/],
  ] as const)('answers a token revoked by %s with 190/%i', async (reason, subcode, message) => {
    fakeGraph.revokeToken(page.accessToken, reason);
    const answer = await callGraph('GET', '/v25.0/me');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      graphError({ code: 190, subcode, message: expect.stringMatching(message) }),
    );
  });

  it('refuses a wrong appsecret_proof even when the app does not require one', async () => {
    const answer = await callGraph('GET', '/v25.0/me', { proof: proofFor(page.accessToken, 'x') });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      graphError({
        code: 100,
        type: 'GraphMethodException',
        message: 'Invalid appsecret_proof provided in the API argument',
      }),
    );
  });

  it('requires the proof when the app has "Require App Secret" on', async () => {
    const strictPage = registerRandomPage(fakeGraph, { requireAppSecretProof: true });
    const withoutProof = await callGraph('GET', '/v25.0/me', {
      token: strictPage.accessToken,
      proof: null,
    });
    expect(withoutProof.body).toEqual(
      graphError({
        code: 100,
        type: 'GraphMethodException',
        message: 'API calls from the server require an appsecret_proof argument',
      }),
    );
    const withProof = await callGraph('GET', '/v25.0/me', {
      token: strictPage.accessToken,
      proof: proofFor(strictPage.accessToken, strictPage.appSecret),
    });
    expect(withProof.body).toEqual({ id: strictPage.pageId, name: strictPage.name });
  });

  it('does not require the proof by default, as Facebook does not', async () => {
    expect((await callGraph('GET', '/v25.0/me', { proof: null })).status).toBe(200);
  });
});

describe('paths and versions', () => {
  it.each(['v21.0', 'v25.0', 'v99.9'])('serves version %s', async (version) => {
    expect((await callGraph('GET', `/${version}/me`)).status).toBe(200);
  });

  it('treats a malformed version as a node that does not exist', async () => {
    const answer = await callGraph('GET', '/25.0/me');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(
      graphError({
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        message: expect.stringMatching(
          /^Unsupported get request\. Object with ID '25\.0' does not exist/,
        ),
      }),
    );
  });

  it('refuses an edge that does not exist', async () => {
    const answer = await callGraph('GET', '/v25.0/me/conversations_of_nobody');
    expect(answer.body).toEqual(
      graphError({ code: 2500, message: 'Unknown path components: /conversations_of_nobody' }),
    );
  });

  it('answers /me with the requested fields and refuses unknown ones', async () => {
    expect((await callGraph('GET', '/v25.0/me', { query: { fields: 'name' } })).body).toEqual({
      name: page.name,
      id: page.pageId,
    });
    expect((await callGraph('GET', `/v25.0/${page.pageId}`)).body).toEqual({
      id: page.pageId,
      name: page.name,
    });
    const unknown = await callGraph('GET', '/v25.0/me', { query: { fields: 'id,fan_count' } });
    expect(unknown.body).toEqual(
      graphError({
        code: 100,
        message: '(#100) Tried accessing nonexisting field (fan_count) on node type (Page)',
      }),
    );
  });
});

describe('User Profile API', () => {
  const fields = { fields: 'first_name,last_name,profile_pic' };

  it("returns the visitor's profile", async () => {
    const answer = await callGraph('GET', `/v25.0/${user.psid}`, { query: fields });
    expect(answer.body).toEqual({
      first_name: user.firstName,
      last_name: user.lastName,
      profile_pic: user.profilePic,
      id: user.psid,
    });
  });

  it('answers {} or error 100 with 2018218 / 2018247 when profile access is missing', async () => {
    const empty = registerRandomUser(fakeGraph, page, { profileAccess: 'empty' });
    const noProfile = registerRandomUser(fakeGraph, page, { profileAccess: 'no_profile' });
    const forbidden = registerRandomUser(fakeGraph, page, {
      profileAccess: 'insufficient_permission',
    });
    expect((await callGraph('GET', `/v25.0/${empty.psid}`, { query: fields })).body).toEqual({});
    expect((await callGraph('GET', `/v25.0/${noProfile.psid}`, { query: fields })).body).toEqual(
      graphError({
        code: 100,
        subcode: 2018218,
        message: '(#100) No profile available for this user.',
      }),
    );
    expect((await callGraph('GET', `/v25.0/${forbidden.psid}`, { query: fields })).body).toEqual(
      graphError({ code: 100, subcode: 2018247, message: expect.stringMatching(/Insufficient/) }),
    );
  });

  it("does not show another page's visitor", async () => {
    const otherPage = registerRandomPage(fakeGraph);
    const stranger = registerRandomUser(fakeGraph, otherPage);
    const answer = await callGraph('GET', `/v25.0/${stranger.psid}`, { query: fields });
    expect(answer.body).toEqual(
      graphError({
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        message: expect.stringContaining(`Object with ID '${stranger.psid}' does not exist`),
      }),
    );
  });
});

describe('subscribed_apps', () => {
  const path = () => `/v25.0/${page.pageId}/subscribed_apps`;

  it('subscribes, lists and unsubscribes the app', async () => {
    expect((await callGraph('GET', path())).body).toEqual({ data: [] });
    const subscribed = await callGraph('POST', path(), {
      query: { subscribed_fields: 'messages,message_echoes' },
    });
    expect(subscribed.body).toEqual({ success: true });
    expect((await callGraph('GET', path())).body).toEqual({
      data: [
        { id: page.appId, name: page.appName, subscribed_fields: ['messages', 'message_echoes'] },
      ],
    });
    expect((await callGraph('DELETE', path())).body).toEqual({ success: true });
    expect((await callGraph('GET', path())).body).toEqual({ data: [] });
  });

  it('takes the fields as a JSON array and replaces the previous ones', async () => {
    await callGraph('POST', path(), { query: { subscribed_fields: 'messages,message_reads' } });
    await callGraph('POST', path(), { query: { subscribed_fields: '["message_edits"]' } });
    expect(fakeGraph.subscribedFields(page.pageId)).toEqual(['message_edits']);
  });

  it('requires subscribed_fields and knows the webhook fields', async () => {
    expect((await callGraph('POST', path())).body).toEqual(
      graphError({ code: 100, message: '(#100) The parameter subscribed_fields is required' }),
    );
    const unknown = await callGraph('POST', path(), {
      query: { subscribed_fields: 'messages,mesages' },
    });
    expect(unknown.body).toEqual(
      graphError({
        code: 100,
        message: expect.stringMatching(/^\(#100\) Param subscribed_fields\[1\] must be one of \{/),
      }),
    );
    expect(fakeGraph.subscribedFields(page.pageId)).toEqual([]);
  });

  it("refuses another page's subscriptions", async () => {
    const otherPage = registerRandomPage(fakeGraph);
    const answer = await callGraph('POST', `/v25.0/${otherPage.pageId}/subscribed_apps`, {
      query: { subscribed_fields: 'messages' },
    });
    expect(answer.body).toEqual(
      graphError({
        code: 100,
        subcode: 33,
        type: 'GraphMethodException',
        message: expect.stringMatching(/^Unsupported post request\./),
      }),
    );
    expect(fakeGraph.subscribedFields(otherPage.pageId)).toEqual([]);
  });
});

describe('Send API', () => {
  it('sends a text message, answers recipient_id and message_id, and records it', async () => {
    const answer = await send({
      recipient: { id: user.psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Hello', metadata: 'omni:42' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      recipient_id: user.psid,
      message_id: expect.stringMatching(/^m_[\w-]{20,}$/),
    });
    expect(fakeGraph.sentMessages(page.pageId)).toEqual([
      {
        pageId: page.pageId,
        recipientId: user.psid,
        messageId: answer.body.message_id,
        messagingType: 'RESPONSE',
        tag: null,
        message: { text: 'Hello', metadata: 'omni:42' },
        text: 'Hello',
        metadata: 'omni:42',
        at: expect.any(Date),
      },
    ]);
  });

  it('accepts /{page-id}/messages and a form body with JSON-encoded objects', async () => {
    const answer = await callGraph('POST', `/v25.0/${page.pageId}/messages`, {
      form: {
        recipient: JSON.stringify({ id: user.psid }),
        messaging_type: 'UPDATE',
        message: JSON.stringify({ text: 'Order shipped' }),
      },
    });
    expect(answer.body).toMatchObject({ recipient_id: user.psid });
    expect(fakeGraph.sentMessages(page.pageId)[0]).toMatchObject({ text: 'Order shipped' });
  });

  it('sends a HUMAN_AGENT tagged message', async () => {
    const answer = await send({
      recipient: { id: user.psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'An agent here.' },
    });
    expect(answer.status).toBe(200);
    expect(fakeGraph.sentMessages()[0]).toMatchObject({ tag: 'HUMAN_AGENT' });
  });

  it('sends a sender action alone and answers only recipient_id', async () => {
    const answer = await send({ recipient: { id: user.psid }, sender_action: 'mark_seen' });
    expect(answer.body).toEqual({ recipient_id: user.psid });
    expect(fakeGraph.sentSenderActions(page.pageId)).toEqual([
      { pageId: page.pageId, recipientId: user.psid, action: 'mark_seen', at: expect.any(Date) },
    ]);
    expect(fakeGraph.sentMessages()).toEqual([]);
  });

  it('uploads an attachment by URL and sends it by attachment_id', async () => {
    const uploaded = await callGraph('POST', '/v25.0/me/message_attachments', {
      body: {
        message: {
          attachment: {
            type: 'image',
            payload: { url: 'https://x.test/a.png', is_reusable: true },
          },
        },
      },
    });
    expect(uploaded.body).toEqual({ attachment_id: expect.stringMatching(/^\d{16}$/) });
    const attachment = { type: 'image', payload: { attachment_id: uploaded.body.attachment_id } };
    const sent = await send({
      recipient: { id: user.psid },
      messaging_type: 'RESPONSE',
      message: { attachment },
    });
    expect(sent.status).toBe(200);
    expect(fakeGraph.sentMessages()[0]?.message).toEqual({ attachment });
  });

  const valid = () => ({
    recipient: { id: user.psid },
    messaging_type: 'RESPONSE',
    message: { text: 'Hi' },
  });
  const invalidParameter = { code: 100, message: '(#100) Invalid parameter' };

  it.each([
    [
      'no recipient',
      () => ({ messaging_type: 'RESPONSE', message: { text: 'Hi' } }),
      { code: 100, message: '(#100) The parameter recipient is required' },
    ],
    [
      'no messaging_type',
      () => ({ recipient: { id: user.psid }, message: { text: 'Hi' } }),
      { code: 100, message: '(#100) The parameter messaging_type is required' },
    ],
    [
      'an unknown messaging_type',
      () => ({ ...valid(), messaging_type: 'NON_PROMOTIONAL_SUBSCRIPTION' }),
      {
        code: 100,
        message: '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}',
      },
    ],
    ['a tag without MESSAGE_TAG', () => ({ ...valid(), tag: 'HUMAN_AGENT' }), invalidParameter],
    ...['CONFIRMED_EVENT_UPDATE', 'ACCOUNT_UPDATE', 'POST_PURCHASE_UPDATE'].map(
      (tag) =>
        [
          `the retired tag ${tag}`,
          () => ({ ...valid(), messaging_type: 'MESSAGE_TAG', tag }),
          invalidParameter,
        ] as const,
    ),
    [
      'MESSAGE_TAG without a tag',
      () => ({ ...valid(), messaging_type: 'MESSAGE_TAG' }),
      { code: 100, message: '(#100) The parameter tag is required' },
    ],
    [
      'a message and a sender action together',
      () => ({ ...valid(), sender_action: 'typing_on' }),
      fakeGraphErrors.messageAndSenderActionTogether,
    ],
    [
      'neither a message nor a sender action',
      () => ({ recipient: { id: user.psid }, messaging_type: 'RESPONSE' }),
      { code: 100, subcode: 2018015, message: '(#100) Must send either message or state' },
    ],
    [
      'an unknown sender action',
      () => ({ recipient: { id: user.psid }, sender_action: 'typing' }),
      { code: 100, message: expect.stringMatching(/^\(#100\) Param sender_action must be one of/) },
    ],
    [
      'text and an attachment together',
      () => ({
        ...valid(),
        message: {
          text: 'Hi',
          attachment: { type: 'image', payload: { url: 'https://x.test/a' } },
        },
      }),
      fakeGraphErrors.textAndAttachmentTogether,
    ],
    [
      'an empty message',
      () => ({ ...valid(), message: { text: '' } }),
      {
        code: 100,
        subcode: 2018034,
        message: '(#100) Message cannot be empty, must provide valid attachment or text',
      },
    ],
    [
      'text over 2000 characters',
      () => ({ ...valid(), message: { text: 'x'.repeat(2001) } }),
      {
        code: 100,
        message: '(#100) Length of param message[text] must be less than or equal to 2000',
      },
    ],
    [
      'metadata over 1000 characters',
      () => ({ ...valid(), message: { text: 'Hi', metadata: 'x'.repeat(1001) } }),
      {
        code: 100,
        message: '(#100) Length of param message[metadata] must be less than or equal to 1000',
      },
    ],
    [
      'an attachment without a type',
      () => ({ ...valid(), message: { attachment: { payload: { url: 'https://x.test/a' } } } }),
      { code: 100, message: '(#100) The parameter message[attachment][type] is required' },
    ],
    [
      'an attachment URL that cannot be fetched',
      () => ({
        ...valid(),
        message: { attachment: { type: 'file', payload: { url: 'ftp://x' } } },
      }),
      fakeGraphErrors.attachmentFetchFailed,
    ],
    [
      "another page's attachment_id",
      () => ({
        ...valid(),
        message: { attachment: { type: 'file', payload: { attachment_id: '1234567890123456' } } },
      }),
      fakeGraphErrors.attachmentNotOwned,
    ],
    [
      'a PSID the page does not know',
      () => ({ ...valid(), recipient: { id: '1234567890' } }),
      { code: 100, subcode: 2018001, message: '(#100) No matching user found' },
    ],
  ] as const)('refuses %s', async (_case, body, expected) => {
    const answer = await send(body());
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(graphError(expected));
    expect(fakeGraph.sentMessages()).toEqual([]);
    expect(fakeGraph.sentSenderActions()).toEqual([]);
  });
});

describe('debug_token', () => {
  const debug = (inputToken: string, appToken = `${page.appId}|${page.appSecret}`) =>
    callGraph('GET', '/v25.0/debug_token', {
      token: appToken,
      proof: null,
      query: { input_token: inputToken },
    });

  it("describes a page token that works, and one that doesn't", async () => {
    expect((await debug(page.accessToken)).body).toEqual({
      data: {
        app_id: page.appId,
        type: 'PAGE',
        application: page.appName,
        profile_id: page.pageId,
        data_access_expires_at: 0,
        expires_at: 0,
        is_valid: true,
        scopes: [
          'pages_messaging',
          'pages_manage_metadata',
          'pages_read_engagement',
          'pages_show_list',
        ],
        granular_scopes: expect.arrayContaining([
          { scope: 'pages_messaging', target_ids: [page.pageId] },
        ]),
      },
    });
    fakeGraph.revokeToken(page.accessToken);
    expect((await debug(page.accessToken)).body.data).toMatchObject({
      is_valid: false,
      error: { code: 190, subcode: 460 },
    });
    expect((await debug('EAAGnothing')).body.data).toMatchObject({
      is_valid: false,
      error: { code: 190 },
    });
  });

  it('needs a valid app token', async () => {
    const answer = await debug(page.accessToken, `${page.appId}|wrong-secret`);
    expect(answer.body).toEqual(graphError(fakeGraphErrors.invalidToken));
  });

  it('lists only the permissions a test left the token, and a restored token works again', async () => {
    fakeGraph.setScopes(page.pageId, ['pages_messaging', 'pages_show_list']);
    expect((await debug(page.accessToken)).body.data).toMatchObject({
      is_valid: true,
      scopes: ['pages_messaging', 'pages_show_list'],
    });
    fakeGraph.revokeToken(page.accessToken, 'expired');
    expect((await debug(page.accessToken)).body.data).toMatchObject({ is_valid: false });
    fakeGraph.restoreToken(page.accessToken);
    expect((await debug(page.accessToken)).body.data).toMatchObject({ is_valid: true });
  });
});

describe('GET /app', () => {
  it('answers the app the page token belongs to, and refuses a dead token with 190', async () => {
    const answer = await callGraph('GET', '/v25.0/app');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: page.appId, name: page.appName });
    fakeGraph.revokeToken(page.accessToken);
    const refused = await callGraph('GET', '/v25.0/app');
    expect(refused.body).toMatchObject({ error: { code: 190 } });
  });
});

describe('recording and controls', () => {
  it('records every call with its method, version, path, query and body', async () => {
    await send({ recipient: { id: user.psid }, sender_action: 'typing_on' });
    expect(fakeGraph.requests()).toEqual([
      {
        method: 'POST',
        version: 'v25.0',
        path: '/me/messages',
        query: { access_token: page.accessToken, appsecret_proof: expect.any(String) },
        body: { recipient: { id: user.psid }, sender_action: 'typing_on' },
        at: expect.any(Date),
      },
    ]);
    fakeGraph.clear();
    expect(fakeGraph.requests()).toEqual([]);
  });

  it('keeps sent messages per page', async () => {
    const otherPage = registerRandomPage(fakeGraph);
    const otherUser = registerRandomUser(fakeGraph, otherPage);
    await send(textFor(user.psid));
    await callGraph('POST', '/v25.0/me/messages', {
      token: otherPage.accessToken,
      proof: proofFor(otherPage.accessToken, otherPage.appSecret),
      body: textFor(otherUser.psid),
    });
    expect(fakeGraph.sentMessages(page.pageId).map((sent) => sent.recipientId)).toEqual([
      user.psid,
    ]);
    expect(fakeGraph.sentMessages()).toHaveLength(2);
  });

  it('fails the next N matching calls as told, then behaves again', async () => {
    fakeGraph.failNext({ method: 'POST', path: '/me/messages' }, fakeGraphErrors.outsideWindow, 2);
    expect((await callGraph('GET', '/v25.0/me')).status).toBe(200);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const answer = await send(textFor(user.psid));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(graphError(fakeGraphErrors.outsideWindow));
    }
    expect((await send(textFor(user.psid))).status).toBe(200);
    expect(fakeGraph.sentMessages()).toHaveLength(1);
  });

  it('matches paths by RegExp and answers a raw body with any status', async () => {
    fakeGraph.failNext(
      { path: /subscribed_apps$/ },
      { httpStatus: 503, body: 'Service Unavailable' },
    );
    const answer = await callGraph('GET', `/v25.0/${page.pageId}/subscribed_apps`);
    expect(answer).toMatchObject({ status: 503, body: 'Service Unavailable' });
  });

  it("drops the connection for 'network'", async () => {
    fakeGraph.failNext({}, 'network');
    await expect(callGraph('GET', '/v25.0/me')).rejects.toThrow(/fetch failed/);
    expect((await callGraph('GET', '/v25.0/me')).status).toBe(200);
  });

  it("stays silent for 'timeout' until the caller gives up, carrying nothing out", async () => {
    fakeGraph.failNext({ path: '/me/messages' }, 'timeout');
    const call = fetch(`${fakeGraph.url}/v25.0/me/messages?access_token=${page.accessToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(textFor(user.psid)),
      signal: AbortSignal.timeout(300),
    });
    await expect(call).rejects.toThrow(/aborted/);
    expect(fakeGraph.requests()).toHaveLength(1);
    expect(fakeGraph.sentMessages()).toEqual([]);
  });

  it('waits the configured latency before answering', async () => {
    fakeGraph.setLatency(150);
    const startedAt = performance.now();
    await callGraph('GET', '/v25.0/me');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
  });
});

describe('FakeGraph on its own', () => {
  it('keeps only the latest 10 000 recorded calls, so demo mode does not grow forever', () => {
    const graph = new FakeGraph();
    for (let index = 0; index <= 10_000; index += 1) {
      graph.record({
        method: 'GET',
        version: 'v25.0',
        path: `/${index}`,
        query: {},
        body: {},
        at: new Date(),
      });
    }
    const recorded = graph.requests();
    expect(recorded).toHaveLength(10_000);
    expect(recorded[0]?.path).toBe('/1');
    expect(recorded.at(-1)?.path).toBe('/10000');
  });
});

describe('mounted inside another Koa app', () => {
  it('serves the Graph API under a prefix', async () => {
    const graph = new FakeGraph();
    const mountedPage = registerRandomPage(graph);
    const app = new Koa();
    app.use(createFakeGraphRouter(graph, { prefix: '/sandbox-graph' }).routes());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const query = `access_token=${mountedPage.accessToken}`;
      const response = await fetch(`http://127.0.0.1:${port}/sandbox-graph/v25.0/me?${query}`);
      expect(await response.json()).toEqual({ id: mountedPage.pageId, name: mountedPage.name });
      expect(graph.requests()[0]).toMatchObject({ version: 'v25.0', path: '/me' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function textFor(psid: string) {
  return { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Hi' } };
}

describe('the handover protocol', () => {
  const BOT = '2000000000000002';
  const recipient = () => ({ id: user.psid });

  it('refuses a send while another app controls the thread (code 10, subcode 2018300)', async () => {
    fakeGraph.setThreadOwner(page.pageId, user.psid, BOT);
    const answer = await callGraph('POST', '/v25.0/me/messages', {
      body: { recipient: recipient(), messaging_type: 'RESPONSE', message: { text: 'hi' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 10,
      error_subcode: 2018300,
      type: 'OAuthException',
      message: '(#10) Message failed to send because another app is controlling this thread now.',
    });
    expect(fakeGraph.sentMessages(page.pageId)).toEqual([]);
  });

  it('passes a thread Omni controls to the target app, which is told (pass_thread_control)', async () => {
    fakeGraph.setThreadOwner(page.pageId, user.psid, page.appId);
    const answer = await callGraph('POST', '/v25.0/me/pass_thread_control', {
      body: { recipient: recipient(), target_app_id: BOT, metadata: 'done' },
    });
    expect(answer).toMatchObject({ status: 200, body: { success: true } });
    expect(fakeGraph.threadOwner(page.pageId, user.psid)).toBe(BOT);
    expect(fakeGraph.handoverEvents(BOT)).toEqual([
      {
        deliverTo: BOT,
        item: {
          sender: { id: user.psid },
          recipient: { id: page.pageId },
          timestamp: expect.any(Number),
          pass_thread_control: {
            previous_owner_app_id: page.appId,
            new_owner_app_id: BOT,
            metadata: 'done',
          },
        },
      },
    ]);
    const owner = await callGraph('GET', '/v25.0/me/thread_owner', {
      query: { recipient: user.psid },
    });
    expect(owner.body).toEqual({ data: [{ thread_owner: { app_id: BOT } }] });
  });

  it('refuses to pass a thread another app controls, or without target_app_id', async () => {
    fakeGraph.setThreadOwner(page.pageId, user.psid, BOT);
    const notOwner = await callGraph('POST', '/v25.0/me/pass_thread_control', {
      body: { recipient: recipient(), target_app_id: '263902037430900' },
    });
    expect(notOwner.body.error).toMatchObject({ code: 10 });
    const noTarget = await callGraph('POST', '/v25.0/me/pass_thread_control', {
      body: { recipient: recipient() },
    });
    expect(noTarget.body.error).toMatchObject({ code: 100 });
    expect(fakeGraph.threadOwner(page.pageId, user.psid)).toBe(BOT);
  });

  it('lets a secondary take an idle thread only; asks the primary otherwise (request_thread_control)', async () => {
    fakeGraph.setPrimaryApp(page.pageId, BOT);
    fakeGraph.setThreadOwner(page.pageId, user.psid, BOT);
    const take = await callGraph('POST', '/v25.0/me/take_thread_control', {
      body: { recipient: recipient() },
    });
    expect(take.body.error).toMatchObject({ code: 10 });
    const ask = await callGraph('POST', '/v25.0/me/request_thread_control', {
      body: { recipient: recipient(), metadata: 'please' },
    });
    expect(ask).toMatchObject({ status: 200, body: { success: true } });
    expect(fakeGraph.handoverEvents(BOT).at(-1)!.item).toMatchObject({
      request_thread_control: { requested_owner_app_id: page.appId, metadata: 'please' },
    });

    fakeGraph.setThreadOwner(page.pageId, user.psid, null);
    const idle = await callGraph('POST', '/v25.0/me/take_thread_control', {
      body: { recipient: recipient() },
    });
    expect(idle).toMatchObject({ status: 200, body: { success: true } });
    expect(fakeGraph.threadOwner(page.pageId, user.psid)).toBe(page.appId);
  });
});
