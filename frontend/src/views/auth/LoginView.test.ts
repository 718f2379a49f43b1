import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import type { DemoInfo } from '@/api/types';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
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
