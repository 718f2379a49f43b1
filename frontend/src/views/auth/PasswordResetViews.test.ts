import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import type { Component } from 'vue';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { errorResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import ForgotPasswordView from './ForgotPasswordView.vue';
import ResetPasswordView from './ResetPasswordView.vue';

enableAutoUnmount(afterEach);

async function mountAt(view: Component, path: string) {
  const Stub = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/forgot-password', name: 'forgot-password', component: ForgotPasswordView },
      { path: '/reset-password/:token', name: 'reset-password', component: ResetPasswordView },
      { path: '/login', name: 'login', component: Stub },
    ],
  });
  await router.push(path);
  const wrapper = mount(view, { global: { plugins: [createPinia(), router, createTestI18n()] } });
  await flushPromises();
  return { wrapper, router };
}

describe('password reset pages', () => {
  it('asks for a link and says the same thing whether or not the address has an account', async () => {
    const { requests } = stubFetch({
      'POST /api/auth/password-reset': new Response(null, { status: 202 }),
    });
    const { wrapper } = await mountAt(ForgotPasswordView, '/forgot-password');
    await wrapper.get('#forgot-email').setValue('ann@acme.test');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(requests.map((request) => request.body)).toEqual([{ email: 'ann@acme.test' }]);
    expect(wrapper.get('[data-testid="reset-requested"]').text()).toContain(
      'If ann@acme.test has an Omni account, a link is on its way.',
    );
  });

  it('sets the new password with the token of the link and sends the user to sign in', async () => {
    const { requests } = stubFetch({
      'POST /api/auth/password-reset/confirm': new Response(null, { status: 204 }),
    });
    const { wrapper, router } = await mountAt(ResetPasswordView, '/reset-password/the-token');
    await wrapper.get('#reset-password').setValue('a long new password');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(requests[0]?.body).toEqual({ token: 'the-token', password: 'a long new password' });
    expect(router.currentRoute.value.fullPath).toBe('/login?reason=password-reset');
  });

  it('says when the link was used or is too old, and offers a new one', async () => {
    stubFetch({
      'POST /api/auth/password-reset/confirm': errorResponse(410, 'RESET_LINK_EXPIRED', 'gone'),
    });
    const { wrapper } = await mountAt(ResetPasswordView, '/reset-password/old-token');
    await wrapper.get('#reset-password').setValue('a long new password');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const alert = wrapper.get('[data-testid="reset-expired"]');
    expect(alert.text()).toContain('This link no longer works');
    expect(alert.get('a').attributes('href')).toBe('/forgot-password');
  });
});
