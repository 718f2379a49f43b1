import { describe, expect, it } from 'vitest';
import { createOperator, signUpTenant, useTestApi } from '../../testing/test-api.js';

const api = useTestApi();

const patchSettings = (token: string, body: unknown) =>
  api.request('PATCH', '/api/settings', { token, body });

describe('tenant settings', () => {
  it('are read by everyone of the tenant, with the defaults', async () => {
    const admin = await signUpTenant(api, 'Settings Co');
    const operator = await createOperator(api, admin.token);

    const response = await api.request('GET', '/api/settings', { token: operator.token });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'Settings Co',
      language: 'en',
      autoCloseAfterMinutes: null,
      unansweredReminderSeconds: 120,
      defaultMaxChats: 5,
      firstResponseTimeoutSeconds: null,
      queueNoticeEnabled: false,
      offlineNoticeEnabled: false,
      csat: { enabled: false, question: null },
      timezone: 'UTC',
      require2faForAdmins: false,
      privacyContact: null,
    });
  });

  it('are changed by an admin only; /api/tenant is an alias', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);

    const refused = await patchSettings(operator.token, { autoCloseAfterMinutes: 30 });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');

    const changed = await patchSettings(admin.token, {
      autoCloseAfterMinutes: 10_080,
      unansweredReminderSeconds: 30,
      name: 'Renamed',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Renamed',
      autoCloseAfterMinutes: 10_080,
      unansweredReminderSeconds: 30,
    });
    const read = await api.request('GET', '/api/settings', { token: operator.token });
    expect(read.body).toMatchObject({
      autoCloseAfterMinutes: 10_080,
      unansweredReminderSeconds: 30,
    });

    const alias = await api.request('PATCH', '/api/tenant', {
      token: admin.token,
      body: { autoCloseAfterMinutes: null, unansweredReminderSeconds: 3600 },
    });
    expect(alias.status).toBe(200);
    expect(alias.body.tenant).toMatchObject({
      autoCloseAfterMinutes: null,
      unansweredReminderSeconds: 3600,
    });
    const me = await api.request('GET', '/api/me', { token: operator.token });
    expect(me.body.tenant).toMatchObject({
      autoCloseAfterMinutes: null,
      unansweredReminderSeconds: 3600,
    });
  });

  it('refuse values out of range or not whole, naming the field', async () => {
    const admin = await signUpTenant(api);
    const refusals: [string, unknown][] = [
      ['autoCloseAfterMinutes', 0],
      ['autoCloseAfterMinutes', -5],
      ['autoCloseAfterMinutes', 10_081],
      ['autoCloseAfterMinutes', 1.5],
      ['autoCloseAfterMinutes', '60'],
      ['unansweredReminderSeconds', 29],
      ['unansweredReminderSeconds', 3601],
      ['unansweredReminderSeconds', 60.5],
      ['unansweredReminderSeconds', null],
    ];
    for (const [field, value] of refusals) {
      const response = await patchSettings(admin.token, { [field]: value });
      expect(response.status, `${field}: ${JSON.stringify(value)}`).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(response.body.error.details.fields)).toEqual([field]);
    }
    const unchanged = await api.request('GET', '/api/settings', { token: admin.token });
    expect(unchanged.body).toMatchObject({
      autoCloseAfterMinutes: null,
      unansweredReminderSeconds: 120,
    });
    expect((await patchSettings(admin.token, { autoCloseAfterMinutes: 1 })).status).toBe(200);
  });

  it("are each tenant's own", async () => {
    const owner = await signUpTenant(api, 'Tenant A');
    const intruder = await signUpTenant(api, 'Tenant B');
    await patchSettings(owner.token, { autoCloseAfterMinutes: 45 });

    const theirs = await api.request('GET', '/api/settings', { token: intruder.token });
    expect(theirs.body).toMatchObject({ name: 'Tenant B', autoCloseAfterMinutes: null });
    await patchSettings(intruder.token, { autoCloseAfterMinutes: 90 });
    const mine = await api.request('GET', '/api/settings', { token: owner.token });
    expect(mine.body).toMatchObject({ name: 'Tenant A', autoCloseAfterMinutes: 45 });
  });
});
