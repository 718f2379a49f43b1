import { describe, expect, it } from 'vitest';
import { createOperator, signUpTenant, useTestApi } from '../../testing/test-api.js';

const api = useTestApi();

const defaults = {
  sounds: { newChat: true, newMessage: true, reminder: true },
  volume: 0.6,
  desktopNotifications: true,
};

describe('alert preferences', () => {
  it('start with every alert on, and keep what a change leaves out', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);

    const initial = await api.request('GET', '/api/me/preferences', { token: operator.token });
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual(defaults);

    const changed = await api.request('PATCH', '/api/me/preferences', {
      token: operator.token,
      body: { sounds: { newMessage: false }, volume: 0.25 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({
      sounds: { newChat: true, newMessage: false, reminder: true },
      volume: 0.25,
      desktopNotifications: true,
    });

    const again = await api.request('PATCH', '/api/me/preferences', {
      token: operator.token,
      body: { desktopNotifications: false },
    });
    expect(again.body).toEqual({ ...changed.body, desktopNotifications: false });
    const reread = await api.request('GET', '/api/me/preferences', { token: operator.token });
    expect(reread.body).toEqual(again.body);
  });

  it('are each user’s own', async () => {
    const admin = await signUpTenant(api);
    const operator = await createOperator(api, admin.token);
    await api.request('PATCH', '/api/me/preferences', {
      token: operator.token,
      body: { sounds: { reminder: false }, volume: 0 },
    });

    const adminView = await api.request('GET', '/api/me/preferences', { token: admin.token });
    expect(adminView.body).toEqual(defaults);
    const otherTenant = await signUpTenant(api);
    const strangerView = await api.request('GET', '/api/me/preferences', {
      token: otherTenant.token,
    });
    expect(strangerView.body).toEqual(defaults);
  });

  it.each([
    [{ volume: 1.5 }, 'volume'],
    [{ volume: 'loud' }, 'volume'],
    [{ sounds: { newChat: 'yes' } }, 'sounds.newChat'],
    [{ sounds: { fanfare: true } }, 'sounds'],
    [{ theme: 'dark' }, ''],
  ])('refuse %j with 400 and change nothing', async (body, field) => {
    const admin = await signUpTenant(api);
    const response = await api.request('PATCH', '/api/me/preferences', {
      token: admin.token,
      body,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    if (field) expect(Object.keys(response.body.error.details.fields)).toContain(field);
    const after = await api.request('GET', '/api/me/preferences', { token: admin.token });
    expect(after.body).toEqual(defaults);
  });

  it('need a signed-in user', async () => {
    const response = await api.request('GET', '/api/me/preferences');
    expect(response.status).toBe(401);
  });
});
