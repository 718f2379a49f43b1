import { describe, expect, it } from 'vitest';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { signUpTenant, uniqueEmail, useTestApi, useTestWorker } from '../../testing/test-api.js';
import { useTestSmtpServer, type ReceivedMail } from '../../testing/test-smtp-server.js';
import { PasswordReset } from './password-reset.entity.js';

// The mails go through a real SMTP server: the worker sends them from 'mail-send' jobs.
const smtp = useTestSmtpServer();
const api = useTestApi(smtp.environment);
useTestWorker(api);

const newPassword = 'a brand new password';

function tokenOf(mail: ReceivedMail | undefined): string {
  const link = /http:\/\/localhost:5001\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '');
  expect(link, 'the mail holds a reset link').not.toBeNull();
  return link![1]!;
}

const requestReset = (email: string) =>
  api.request('POST', '/api/auth/password-reset', { body: { email } });

const confirm = (token: string, password = newPassword) =>
  api.request('POST', '/api/auth/password-reset/confirm', { body: { token, password } });

describe('password reset', () => {
  it('mails a single-use link in the tenant language that sets the password and ends every session', async () => {
    const admin = await signUpTenant(api, 'Dhaka Tea');
    await api.request('PATCH', '/api/tenant', { token: admin.token, body: { language: 'bn' } });
    const otherDevice = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });

    const requested = await requestReset(admin.user.email);
    expect(requested.status).toBe(202);
    const mail = await smtp.mailTo(admin.user.email);
    expect(mail?.subject).toBe('আপনার Omni পাসওয়ার্ড রিসেট করুন');
    expect(mail?.text).toContain('নমস্কার Admin,');
    expect(mail?.html).toContain('href="http://localhost:5001/reset-password/');
    const token = tokenOf(mail);

    const weak = await confirm(token, 'short');
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');

    expect((await confirm(token)).status).toBe(204);
    for (const session of [admin.token, otherDevice.body.token]) {
      expect((await api.request('GET', '/api/me', { token: session })).status).toBe(401);
    }
    const oldLogin = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: admin.password },
    });
    expect(oldLogin.status).toBe(401);
    const newLogin = await api.request('POST', '/api/auth/login', {
      body: { email: admin.user.email, password: newPassword },
    });
    expect(newLogin.status).toBe(200);

    const again = await confirm(token, 'yet another long password');
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('RESET_LINK_EXPIRED');
  });

  it('answers 202 for an unknown address and mails nothing there', async () => {
    const unknown = uniqueEmail('nobody');
    const admin = await signUpTenant(api);
    expect((await requestReset(unknown)).status).toBe(202);
    expect((await requestReset(admin.user.email)).status).toBe(202);
    // Mails go out in order: once the known address has its mail, the unknown one had its turn.
    expect(await smtp.mailTo(admin.user.email)).toBeDefined();
    expect(smtp.mailsTo(unknown)).toEqual([]);
  });

  it('refuses a link older than an hour, an unknown token, and a flood of requests', async () => {
    const admin = await signUpTenant(api);
    await requestReset(admin.user.email);
    const token = tokenOf(await smtp.mailTo(admin.user.email));
    const em = api.orm.em.fork();
    scopeToTenant(em, admin.tenant.id);
    await em.nativeUpdate(
      PasswordReset,
      { user: admin.user.id },
      { expiresAt: new Date(Date.now() - 1000) },
    );
    const late = await confirm(token);
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('RESET_LINK_EXPIRED');
    expect((await confirm('not-a-token')).status).toBe(410);

    const target = uniqueEmail('flooded');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await requestReset(target)).status).toBe(202);
    }
    const refused = await requestReset(target);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
