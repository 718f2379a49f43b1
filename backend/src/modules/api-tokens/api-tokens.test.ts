import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  connectSocket,
  createOperator,
  seedConversation,
  signUpTenant,
  useTestApi,
  type TestApi,
} from '../../testing/test-api.js';

const api = useTestApi();

async function createToken(
  testApi: TestApi,
  sessionToken: string,
  name = 'CRM sync',
): Promise<{ id: string; token: string; prefix: string }> {
  const response = await testApi.request('POST', '/api/api-tokens', {
    token: sessionToken,
    body: { name },
  });
  if (response.status !== 201) throw new Error(`token failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Every row of the table, as PostgreSQL holds it. */
async function storedTokenRows(): Promise<string> {
  const rows: unknown[] = await api.orm.em
    .fork()
    .getConnection()
    .execute('select * from api_token');
  return JSON.stringify(rows);
}

describe('API tokens', () => {
  it('are shown once, work as the admin on admin routes, and stop at once when revoked', async () => {
    const admin = await signUpTenant(api, 'Token Co');
    const page = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(api, page.page.id, { text: 'Hello' });

    const created = await api.request('POST', '/api/api-tokens', {
      token: admin.token,
      body: { name: '  CRM sync ' },
    });
    expect(created.status).toBe(201);
    const { token, id } = created.body;
    expect(token).toMatch(/^omni_[A-Za-z0-9_-]{43,}$/);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: 'CRM sync',
      prefix: token.slice(0, 9),
      createdAt: expect.any(String),
      lastUsedAt: null,
      createdBy: { id: admin.user.id, name: 'Admin' },
    });

    const asToken = { token };
    const conversations = await api.request('GET', '/api/conversations', asToken);
    expect(conversations.status).toBe(200);
    expect(conversations.body.items.map((item: { id: string }) => item.id)).toContain(
      conversation.id,
    );
    expect((await api.request('GET', '/api/operators', asToken)).status).toBe(200);
    const renamed = await api.request('PATCH', '/api/settings', {
      ...asToken,
      body: { name: 'Renamed by a script' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed by a script');
    const closed = await api.request(
      'POST',
      `/api/conversations/${conversation.id}/close`,
      asToken,
    );
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('closed');

    // The list shows when it was used (written once a minute, not on every request), and
    // never the token again.
    const listed = await api.request('GET', '/api/api-tokens', { token: admin.token });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, name: 'CRM sync', lastUsedAt: expect.any(String) }),
    ]);
    const firstUse = listed.body.items[0].lastUsedAt;
    expect(Date.now() - Date.parse(firstUse)).toBeLessThan(60_000);
    await api.request('GET', '/api/operators', asToken);
    const again = await api.request('GET', '/api/api-tokens', { token: admin.token });
    expect(again.body.items[0].lastUsedAt).toBe(firstUse);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const rows = await storedTokenRows();
    expect(rows).toContain(id);
    expect(rows).not.toContain(token);
    expect(rows).not.toContain(token.slice(9));

    // The audit log has the creation, the token's own change (by its name) and the revocation.
    const revoked = await api.request('DELETE', `/api/api-tokens/${id}`, { token: admin.token });
    expect(revoked.status).toBe(204);
    const afterRevoke = await api.request('GET', '/api/conversations', asToken);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.code).toBe('UNAUTHENTICATED');
    expect(
      (await api.request('GET', '/api/api-tokens', { token: admin.token })).body.items,
    ).toEqual([]);

    const audit = await api.request('GET', '/api/audit-log', { token: admin.token });
    expect(audit.status).toBe(200);
    const entries = audit.body.items as {
      action: string;
      actor: { id: string | null; name: string };
    }[];
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['api_token.created', 'api_token.revoked', 'settings.updated']),
    );
    expect(entries.find((entry) => entry.action === 'settings.updated')?.actor).toEqual({
      id: null,
      name: 'API token “CRM sync”',
    });
    expect(JSON.stringify(audit.body)).not.toContain(token);
  });

  it('refuses unknown and malformed tokens with 401', async () => {
    for (const token of ['omni_', 'omni_notatokenatall', `omni_${'A'.repeat(43)}`]) {
      const response = await api.request('GET', '/api/conversations', { token });
      expect(response.status, token).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('needs a person for what only a person does: 403 USER_SESSION_REQUIRED', async () => {
    const admin = await signUpTenant(api);
    const page = await connectFacebookPage(api, admin.token);
    const conversation = await seedConversation(api, page.page.id, { text: 'Hello' });
    const { token } = await createToken(api, admin.token);
    const refusals = [
      await api.request('GET', '/api/me', { token }),
      await api.request('POST', `/api/conversations/${conversation.id}/take`, { token }),
      await api.request('POST', `/api/conversations/${conversation.id}/messages`, {
        token,
        body: { text: 'Hi from a script' },
      }),
      await api.request('POST', '/api/api-tokens', { token, body: { name: 'Another' } }),
      await api.request('PUT', '/api/me/status', { token, body: { status: 'online' } }),
      await api.request('GET', '/api/me/preferences', { token }),
      await api.request('GET', '/api/conversations?mine=true', { token }),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('USER_SESSION_REQUIRED');
    }
    // Sockets carry a person's panel: the handshake refuses a token.
    await expect(connectSocket(api, token, [])).rejects.toThrow('UNAUTHENTICATED');
  });

  it('are managed by admins only', async () => {
    const admin = await signUpTenant(api);
    const { id } = await createToken(api, admin.token);
    for (const role of ['operator', 'supervisor']) {
      const member = await createOperator(api, admin.token, { role });
      for (const [method, path] of [
        ['GET', '/api/api-tokens'],
        ['POST', '/api/api-tokens'],
        ['DELETE', `/api/api-tokens/${id}`],
      ] as const) {
        const response = await api.request(method, path, {
          token: member.token,
          body: method === 'POST' ? { name: 'Mine' } : undefined,
        });
        expect(response.status, `${role} ${method} ${path}`).toBe(403);
        expect(response.body.error.code).toBe('FORBIDDEN');
      }
    }
  });

  it('belong to their tenant: another tenant neither sees, revokes nor uses them as its own', async () => {
    const owner = await signUpTenant(api, 'Owner');
    const intruder = await signUpTenant(api, 'Intruder');
    const { id, token } = await createToken(api, owner.token);
    expect(
      (await api.request('GET', '/api/api-tokens', { token: intruder.token })).body.items,
    ).toEqual([]);
    const deleted = await api.request('DELETE', `/api/api-tokens/${id}`, { token: intruder.token });
    expect(deleted.status).toBe(404);
    const settings = await api.request('GET', '/api/settings', { token });
    expect(settings.body.name).toBe('Owner');
    expect((await api.request('GET', '/api/conversations', { token })).status).toBe(200);
  });

  it('outlive the admin who created them', async () => {
    const admin = await signUpTenant(api);
    const colleague = await createOperator(api, admin.token, { role: 'admin', name: 'Leaving' });
    const { id, token } = await createToken(api, colleague.token);
    const removed = await api.request('DELETE', `/api/operators/${colleague.user.id}`, {
      token: admin.token,
    });
    expect(removed.status).toBe(204);
    expect((await api.request('GET', '/api/operators', { token })).status).toBe(200);
    const listed = await api.request('GET', '/api/api-tokens', { token: admin.token });
    expect(listed.body.items).toEqual([expect.objectContaining({ id, createdBy: null })]);
  });
});

describe('API token rate limit', () => {
  const limited = useTestApi({ API_TOKEN_REQUESTS_PER_MINUTE: '3' });

  it('answers 429 with Retry-After beyond the limit, per token', async () => {
    const admin = await signUpTenant(limited);
    const first = await createToken(limited, admin.token, 'first');
    const second = await createToken(limited, admin.token, 'second');
    for (let request = 0; request < 3; request++) {
      expect((await limited.request('GET', '/api/operators', { token: first.token })).status).toBe(
        200,
      );
    }
    const refused = await limited.request('GET', '/api/operators', { token: first.token });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Another token, and the admin's own session, are not held back.
    expect((await limited.request('GET', '/api/operators', { token: second.token })).status).toBe(
      200,
    );
    expect((await limited.request('GET', '/api/operators', { token: admin.token })).status).toBe(
      200,
    );
  });
});
