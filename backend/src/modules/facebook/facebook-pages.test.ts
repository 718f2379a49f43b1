import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import {
  connectFacebookPage,
  createDepartment,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { Message } from '../conversations/message.entity.js';
import { LocalFileStorage } from '../files/file-storage.js';
import { StoredFile } from '../files/stored-file.entity.js';
import { registerRandomPage } from '../../testing/fake-graph-fixtures.js';
import { computeAppSecretProof } from './graph/fetch-graph-client.js';
import { FacebookPage } from './facebook-page.entity.js';
import { SUBSCRIBED_FIELDS } from './graph/graph-client.js';

const api = useTestApi();

async function storedRow(id: string): Promise<Record<string, unknown>> {
  const rows = await api.orm.em
    .fork()
    .getConnection()
    .execute('select * from facebook_page where id = ?', [id]);
  return rows[0] as Record<string, unknown>;
}

describe('connecting a Facebook page', () => {
  it('resolves the page through the Graph API, subscribes it, and never returns the secrets', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const fake = registerRandomPage(api.fakeGraph, { name: 'Acme Shoes' });
    const response = await api.request('POST', '/api/channels/facebook', {
      token: admin.token,
      body: {
        name: 'Shoes support',
        accessToken: fake.accessToken,
        appSecret: fake.appSecret,
        departmentId: department.id,
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'Shoes support',
      pageId: fake.pageId,
      pageName: 'Acme Shoes',
      departmentId: department.id,
      active: true,
      humanAgentEnabled: false,
      callbackUrl: admin.tenant.callbackUrl,
      accessTokenHint: fake.accessToken.slice(-4),
      appSecretHint: fake.appSecret.slice(-4),
      status: {
        tokenValid: true,
        webhookVerifiedAt: null,
        subscribed: true,
        lastEventAt: null,
        lastError: null,
      },
    });
    expect(response.body.verifyToken.length).toBeGreaterThanOrEqual(32);
    const body = JSON.stringify(response.body);
    expect(body).not.toContain(fake.accessToken);
    expect(body).not.toContain(fake.appSecret);

    expect(api.fakeGraph.subscribedFields(fake.pageId)).toEqual([...SUBSCRIBED_FIELDS]);
    const calls = api.fakeGraph
      .requests()
      .filter((call) => call.query['access_token'] === fake.accessToken);
    expect(calls.map((call) => `${call.method} ${call.version} ${call.path}`)).toEqual([
      'GET v25.0 /me',
      `POST v25.0 /${fake.pageId}/subscribed_apps`,
      // Page health's first probe: is the token alive, and whose app is it.
      'GET v25.0 /me',
      'GET v25.0 /app',
    ]);
    for (const call of calls) {
      expect(call.query['appsecret_proof']).toBe(
        computeAppSecretProof(fake.accessToken, fake.appSecret),
      );
    }
  });

  it('stores the token and the app secret encrypted', async () => {
    const admin = await signUpTenant(api);
    const { page, accessToken, appSecret } = await connectFacebookPage(api, admin.token);
    const row = await storedRow(page.id);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toContain(appSecret);
    const secrets = new SecretBox(api.config.encryptionKey);
    for (const column of ['access_token_sealed', 'app_secret_sealed']) {
      expect(secrets.isCurrent(row[column] as string), column).toBe(true); // v2, current key
    }
  });

  it("refuses a token Facebook refuses, with Facebook's reason, and saves nothing", async () => {
    const admin = await signUpTenant(api);
    const response = await api.request('POST', '/api/channels/facebook', {
      token: admin.token,
      body: { name: 'Bad', accessToken: 'not-a-real-token', appSecret: 'abc123' },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('FACEBOOK_TOKEN_INVALID');
    expect(response.body.error.message).toContain('Invalid OAuth access token');
    expect(response.body.error.details).toMatchObject({ facebookCode: 190 });
    expect(
      (await api.request('GET', '/api/channels/facebook', { token: admin.token })).body.items,
    ).toEqual([]);
  });

  it('says Facebook is unavailable when the Graph API fails, and saves nothing', async () => {
    const admin = await signUpTenant(api);
    const fake = registerRandomPage(api.fakeGraph);
    api.fakeGraph.failNext(
      { method: 'GET', path: '/me' },
      {
        httpStatus: 500,
        body: { error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1 } },
      },
    );
    const response = await api.request('POST', '/api/channels/facebook', {
      token: admin.token,
      body: { name: 'Later', accessToken: fake.accessToken, appSecret: fake.appSecret },
    });
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('FACEBOOK_UNAVAILABLE');
  });

  it('keeps the page when subscribing fails, with the problem on its status', async () => {
    const admin = await signUpTenant(api);
    const fake = registerRandomPage(api.fakeGraph);
    api.fakeGraph.failNext(
      { method: 'POST', path: `/${fake.pageId}/subscribed_apps` },
      {
        httpStatus: 403,
        body: {
          error: {
            message: '(#200) Requires pages_manage_metadata permission',
            type: 'OAuthException',
            code: 200,
          },
        },
      },
    );
    const response = await api.request('POST', '/api/channels/facebook', {
      token: admin.token,
      body: { name: 'Half', accessToken: fake.accessToken, appSecret: fake.appSecret },
    });
    expect(response.status).toBe(201);
    expect(response.body.status.subscribed).toBe(false);
    expect(response.body.status.lastError).toMatch(
      /^Facebook did not subscribe the page to the app: /,
    );
  });

  it('keeps one Facebook page in one tenant', async () => {
    const first = await signUpTenant(api);
    const second = await signUpTenant(api);
    const { page, accessToken, appSecret } = await connectFacebookPage(api, first.token);
    const body = { name: 'Mine too', accessToken, appSecret };

    const elsewhere = await api.request('POST', '/api/channels/facebook', {
      token: second.token,
      body,
    });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('PAGE_ALREADY_CONNECTED');
    const twice = await api.request('POST', '/api/channels/facebook', { token: first.token, body });
    expect(twice.status).toBe(409);

    await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: first.token,
      body: { active: false },
    });
    const afterDeactivation = await api.request('POST', '/api/channels/facebook', {
      token: second.token,
      body,
    });
    expect(afterDeactivation.status).toBe(201);
    const reactivate = await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: first.token,
      body: { active: true },
    });
    expect(reactivate.status).toBe(409);
  });

  it('connects two tenants racing for the same page at most once', async () => {
    const tenants = await Promise.all([signUpTenant(api), signUpTenant(api), signUpTenant(api)]);
    const fake = registerRandomPage(api.fakeGraph);
    const responses = await Promise.all(
      tenants.map((tenant) =>
        api.request('POST', '/api/channels/facebook', {
          token: tenant.token,
          body: { name: 'Race', accessToken: fake.accessToken, appSecret: fake.appSecret },
        }),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    const active = await api.orm.em
      .fork()
      .count(
        FacebookPage,
        { pageId: fake.pageId, active: true },
        { filters: { [TENANT_FILTER]: false } },
      );
    expect(active).toBe(1);
  });
});

describe('changing a Facebook page', () => {
  it('replaces an expired token with a new one for the same page', async () => {
    const admin = await signUpTenant(api);
    const { page, accessToken } = await connectFacebookPage(api, admin.token);
    const renewed = `${accessToken}-renewed`;
    const fake = api.fakeGraph.registerPage({
      pageId: page.pageId,
      name: 'Renamed on Facebook',
      accessToken: renewed,
      appSecret: 'new secret value',
    });
    const response = await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
      body: { accessToken: fake.accessToken, appSecret: fake.appSecret },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      pageName: 'Renamed on Facebook',
      accessTokenHint: renewed.slice(-4),
      appSecretHint: 'alue',
    });
  });

  it("refuses a token of another page: that is a new page, not this one's token", async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    const other = registerRandomPage(api.fakeGraph);
    const response = await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
      body: { accessToken: other.accessToken, appSecret: other.appSecret },
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('FACEBOOK_PAGE_MISMATCH');
  });

  it('changes the label, department, human agent switch and confirmation code without Graph calls', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const { page } = await connectFacebookPage(api, admin.token);
    const before = api.fakeGraph.requests().length;
    const response = await api.request('PATCH', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
      body: {
        name: 'Renamed',
        departmentId: department.id,
        humanAgentEnabled: true,
        verifyToken: 'my-own-code-123',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Renamed',
      departmentId: department.id,
      humanAgentEnabled: true,
      verifyToken: 'my-own-code-123',
    });
    expect(api.fakeGraph.requests().length).toBe(before);
  });

  it('loses its department, not itself, when the department is deleted', async () => {
    const admin = await signUpTenant(api);
    const department = await createDepartment(api, admin.token);
    const { page } = await connectFacebookPage(api, admin.token, { departmentId: department.id });
    await api.request('DELETE', `/api/departments/${department.id}`, { token: admin.token });
    const after = await api.request('GET', `/api/channels/facebook/${page.id}`, {
      token: admin.token,
    });
    expect(after.body.departmentId).toBeNull();
  });

  it('is deleted', async () => {
    const admin = await signUpTenant(api);
    const { page } = await connectFacebookPage(api, admin.token);
    expect(
      (await api.request('DELETE', `/api/channels/facebook/${page.id}`, { token: admin.token }))
        .status,
    ).toBe(204);
    expect(
      (await api.request('GET', `/api/channels/facebook/${page.id}`, { token: admin.token }))
        .status,
    ).toBe(404);
  });

  it("is deleted with its conversations and their files, leaving the tenant's other pages alone", async () => {
    const admin = await signUpTenant(api);
    const { page: deleted } = await connectFacebookPage(api, admin.token);
    const { page: kept } = await connectFacebookPage(api, admin.token);
    const storage = new LocalFileStorage(api.config.storageDir);
    const imageOf = async (pageRecordId: string) => {
      const conversation = await seedConversation(api, pageRecordId);
      const em = api.orm.em.fork();
      const message = await em.findOneOrFail(Message, { conversation }, { filters: false });
      const key = `${admin.tenant.id}/${randomUUID()}`;
      await storage.put(key, Readable.from(Buffer.from('a picture')));
      const file = new StoredFile(message.tenant, key, 'image/png', 9, 'a.png', null);
      message.attachments = [
        {
          kind: 'image',
          url: 'https://cdn.example/a.png',
          title: null,
          stickerId: null,
          coordinates: null,
          facebookType: 'image',
          storedFileId: file.id,
        },
      ];
      await em.persist(file).flush();
      return { conversationId: conversation.id, fileId: file.id, key };
    };
    const gone = await imageOf(deleted.id);
    const stays = await imageOf(kept.id);

    const response = await api.request('DELETE', `/api/channels/facebook/${deleted.id}`, {
      token: admin.token,
    });
    expect(response.status).toBe(204);
    const em = api.orm.em.fork();
    const filesLeft = await em.find(
      StoredFile,
      { id: { $in: [gone.fileId, stays.fileId] } },
      { filters: false },
    );
    expect(filesLeft.map((file) => file.id)).toEqual([stays.fileId]);
    expect(await storage.open(gone.key)).toBeNull();
    const keptBytes = await storage.open(stays.key);
    expect(keptBytes).not.toBeNull();
    keptBytes!.destroy();
    const conversation = (id: string) =>
      api.request('GET', `/api/conversations/${id}`, { token: admin.token });
    expect((await conversation(gone.conversationId)).status).toBe(404);
    expect((await conversation(stays.conversationId)).status).toBe(200);
  });

  it('is managed by admins only, and validated', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    expect(
      (await api.request('GET', '/api/channels/facebook', { token: operator.token })).status,
    ).toBe(403);
    const invalid = await api.request('POST', '/api/channels/facebook', {
      token: admin.token,
      body: { name: '', accessToken: '', appSecret: '', verifyToken: 'has spaces in it' },
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.details.fields).sort()).toEqual([
      'accessToken',
      'appSecret',
      'name',
      'verifyToken',
    ]);
  });
});
