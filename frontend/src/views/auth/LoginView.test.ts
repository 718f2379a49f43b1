import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { DemoInfo } from '@/api/types';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { makeTenant, makeUser } from '@/test/factories';
import { mountAuthView } from '@/test/mount-auth-view';
import LoginView from './LoginView.vue';

enableAutoUnmount(afterEach);

const demo: DemoInfo = {
  enabled: true,
  logins: [
    { role: 'admin', name: 'Ada', email: 'admin@demo.test', password: 'admin-pass-1' },
    { role: 'reviewer', name: 'Meta Reviewer', email: 'review@demo.test', password: 'rev-pass-2' },
  ],
};

async function mountLogin(answer: Response) {
  const { requests } = stubFetch({ 'GET /api/demo': answer });
  configureHttpAuth({ getToken: () => 'stale-token', onUnauthenticated: () => {} });
  const wrapper = await mountAuthView(LoginView, 'login');
  return { wrapper, requests };
}

const input = (wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper'], id: string) =>
  wrapper.get<HTMLInputElement>(`#${id}`).element;

describe('LoginView: demo accounts', () => {
  it('lists the demo logins and fills the form with the one chosen', async () => {
    const { wrapper, requests } = await mountLogin(jsonResponse(200, demo));

    const box = wrapper.get('[data-testid="demo-logins"]');
    expect(box.text()).toContain('Reviewer');
    expect(box.text()).toContain('review@demo.test');
    await wrapper.get('[data-testid="demo-login-reviewer"]').trigger('click');

    expect(input(wrapper, 'login-email').value).toBe('review@demo.test');
    expect(input(wrapper, 'login-password').value).toBe('rev-pass-2');
    // Public: a leftover token from another session is not sent along.
    expect(requests[0]?.headers.Authorization).toBeUndefined();
  });

  it('shows nothing when demo mode is off', async () => {
    const { wrapper } = await mountLogin(jsonResponse(200, { enabled: false, logins: [] }));

    expect(wrapper.find('[data-testid="demo-logins"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="login-submit"]').exists()).toBe(true);
  });

  it('shows nothing, and no error, when the demo info cannot be loaded', async () => {
    const { wrapper } = await mountLogin(errorResponse(500, 'INTERNAL'));

    expect(wrapper.find('[data-testid="demo-logins"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false);
  });
});

describe('LoginView: two-factor', () => {
  it('asks for the code when the server says TWO_FACTOR_REQUIRED, and signs in with it', async () => {
    const user = { ...makeUser({ role: 'operator' }), twoFactorSetupRequired: false };
    let attempts = 0;
    const { requests } = stubFetch({
      'GET /api/demo': jsonResponse(200, { enabled: false, logins: [] }),
      'POST /api/auth/login': () => {
        attempts++;
        if (attempts === 1) return errorResponse(401, 'TWO_FACTOR_REQUIRED');
        if (attempts === 2) return errorResponse(401, 'INVALID_TWO_FACTOR_CODE');
        return jsonResponse(200, { token: 'jwt', user, tenant: makeTenant() });
      },
    });
    configureHttpAuth({ getToken: () => null, onUnauthenticated: () => {} });
    const wrapper = await mountAuthView(LoginView, 'login');

    await wrapper.get('#login-email').setValue('ann@example.com');
    await wrapper.get('#login-password').setValue('correct horse battery');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    // The password was right: the code step replaces the form, with no error shown.
    expect(wrapper.find('[data-testid="login-code-step"]').exists()).toBe(true);
    expect(wrapper.find('#login-password').exists()).toBe(false);
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false);

    await wrapper.get('#login-code').setValue('123456');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="login-code-step"]').text()).toContain(
      'That code is not right',
    );

    await wrapper.get('#login-code').setValue(' abcde-fghij ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    const logins = requests.filter((request) => request.path === '/api/auth/login');
    expect(logins.map((request) => request.body)).toEqual([
      { email: 'ann@example.com', password: 'correct horse battery' },
      { email: 'ann@example.com', password: 'correct horse battery', code: '123456' },
      { email: 'ann@example.com', password: 'correct horse battery', code: 'abcde-fghij' },
    ]);
  });

  it('goes back to email and password', async () => {
    stubFetch({
      'GET /api/demo': jsonResponse(200, { enabled: false, logins: [] }),
      'POST /api/auth/login': errorResponse(401, 'TWO_FACTOR_REQUIRED'),
    });
    configureHttpAuth({ getToken: () => null, onUnauthenticated: () => {} });
    const wrapper = await mountAuthView(LoginView, 'login');
    await wrapper.get('#login-email').setValue('ann@example.com');
    await wrapper.get('#login-password').setValue('correct horse battery');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    await wrapper.get('[data-testid="login-code-back"]').trigger('click');
    expect(wrapper.find('#login-password').exists()).toBe(true);
    expect(wrapper.find('[data-testid="login-code-step"]').exists()).toBe(false);
  });
});
