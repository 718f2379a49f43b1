import { describe, expect, it } from 'vitest';
import { scopeToTenant } from '../../db/tenant-filter.js';
import {
  createDepartment,
  createOperator,
  signUpTenant,
  uniqueEmail,
  useTestApi,
  useTestWorker,
  type TestApi,
} from '../../testing/test-api.js';
import { useTestSmtpServer, type ReceivedMail } from '../../testing/test-smtp-server.js';
import { Invitation } from './invitation.entity.js';

// The mails go through a real SMTP server: the worker sends them from 'mail-send' jobs.
const smtp = useTestSmtpServer();
const api = useTestApi(smtp.environment);
useTestWorker(api);

const password = 'a long new password';

function tokenOf(mail: ReceivedMail | undefined): string {
  const link = /http:\/\/localhost:5001\/invite\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '');
  expect(link, 'the mail holds an invitation link').not.toBeNull();
  return link![1]!;
}

async function invite(
  admin: { token: string },
  fields: Partial<{ email: string; name: string; role: string; departmentIds: string[] }> = {},
) {
  const email = fields.email ?? uniqueEmail('invitee');
  const response = await api.request('POST', '/api/invitations', {
    token: admin.token,
    body: { email, name: 'Invitee', ...fields },
  });
  expect(response.status).toBe(201);
  return { email, id: response.body.id as string, response };
}

async function expire(testApi: TestApi, tenantId: string, id: string) {
  const em = testApi.orm.em.fork();
  scopeToTenant(em, tenantId);
  await em.nativeUpdate(Invitation, { id }, { expiresAt: new Date(Date.now() - 1000) });
}

describe('invitations', () => {
  it('mails a link in the tenant language that creates a working user with the invited rights', async () => {
    const admin = await signUpTenant(api, 'Ромашка & Co');
    await api.request('PATCH', '/api/tenant', { token: admin.token, body: { language: 'ru' } });
    const department = await createDepartment(api, admin.token);
    const { email, id, response } = await invite(admin, {
      name: '<b>Анна</b>',
      role: 'admin',
      departmentIds: [department.id],
    });
    expect(response.body).toMatchObject({ id, email, role: 'admin' });
    expect(Date.parse(response.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600e3);

    const mail = await smtp.mailTo(email);
    expect(mail?.subject).toBe('Приглашение в Ромашка & Co в Omni');
    expect(mail?.text).toContain('Здравствуйте, <b>Анна</b>!');
    expect(mail?.html).toContain('Здравствуйте, &lt;b&gt;Анна&lt;/b&gt;!');
    expect(mail?.html).toContain('Ромашка &amp; Co');
    expect(mail?.html).not.toContain('<b>');
    const token = tokenOf(mail);

    const listed = await api.request('GET', '/api/invitations', { token: admin.token });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id, email, departmentIds: [department.id], maxChats: null }),
    ]);
    const preview = await api.request('GET', `/api/invitations/accept/${token}`);
    expect(preview.body).toEqual({ tenantName: 'Ромашка & Co', email, name: '<b>Анна</b>' });

    const weak = await api.request('POST', `/api/invitations/accept/${token}`, {
      body: { password: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');

    const accepted = await api.request('POST', `/api/invitations/accept/${token}`, {
      body: { name: 'Анна Петрова', password },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({
      email,
      name: 'Анна Петрова',
      role: 'admin',
      departmentIds: [department.id],
    });
    expect(accepted.body.tenant.id).toBe(admin.tenant.id);
    const me = await api.request('GET', '/api/me', { token: accepted.body.token });
    expect(me.status).toBe(200);
    const login = await api.request('POST', '/api/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);

    // Used: the link is gone, and the invitation is no longer pending.
    const again = await api.request('POST', `/api/invitations/accept/${token}`, {
      body: { password },
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('INVITATION_EXPIRED');
    expect((await api.request('GET', `/api/invitations/accept/${token}`)).status).toBe(410);
    const after = await api.request('GET', '/api/invitations', { token: admin.token });
    expect(after.body.items).toEqual([]);
  });

  it('answers 410 for revoked, expired, replaced and unknown links; a resend mails a new one', async () => {
    const admin = await signUpTenant(api);
    const revoked = await invite(admin);
    const revokedToken = tokenOf(await smtp.mailTo(revoked.email));
    const revoke = await api.request('DELETE', `/api/invitations/${revoked.id}`, {
      token: admin.token,
    });
    expect(revoke.status).toBe(204);
    const refused = await api.request('POST', `/api/invitations/accept/${revokedToken}`, {
      body: { password },
    });
    expect(refused.status).toBe(410);
    expect(refused.body.error.code).toBe('INVITATION_EXPIRED');

    const expired = await invite(admin);
    const expiredToken = tokenOf(await smtp.mailTo(expired.email));
    await expire(api, admin.tenant.id, expired.id);
    const late = await api.request('GET', `/api/invitations/accept/${expiredToken}`);
    expect(late.status).toBe(410);

    // Resent: a new link valid 7 days, the old one stops working.
    const resent = await api.request('POST', `/api/invitations/${expired.id}/resend`, {
      token: admin.token,
    });
    expect(resent.status).toBe(200);
    expect(Date.parse(resent.body.expiresAt)).toBeGreaterThan(Date.now());
    const newToken = tokenOf(await smtp.mailTo(expired.email, 2));
    expect(newToken).not.toBe(expiredToken);
    expect((await api.request('GET', `/api/invitations/accept/${expiredToken}`)).status).toBe(410);
    const accepted = await api.request('POST', `/api/invitations/accept/${newToken}`, {
      body: { password },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: expired.email, name: 'Invitee' });

    expect((await api.request('GET', '/api/invitations/accept/not-a-token')).status).toBe(410);
    const resendUsed = await api.request('POST', `/api/invitations/${expired.id}/resend`, {
      token: admin.token,
    });
    expect(resendUsed.status).toBe(404);
  });

  it('refuses an address that already has an account, and operators', async () => {
    const admin = await signUpTenant(api);
    const taken = await api.request('POST', '/api/invitations', {
      token: admin.token,
      body: { email: admin.user.email, name: 'Me again' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMAIL_TAKEN');

    const operator = await createOperator(api, admin.token);
    for (const [method, path] of [
      ['GET', '/api/invitations'],
      ['POST', '/api/invitations'],
    ] as const) {
      const response = await api.request(method, path, {
        token: operator.token,
        body: method === 'POST' ? { email: uniqueEmail(), name: 'X' } : undefined,
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.error.code).toBe('FORBIDDEN');
    }
  });
});
