import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { makeTenant, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import AcceptInvitationView from './AcceptInvitationView.vue';

enableAutoUnmount(afterEach);

const PREVIEW = 'GET /api/invitations/accept/the-token';
const ACCEPT = 'POST /api/invitations/accept/the-token';

async function mountAccept(routes: Parameters<typeof stubFetch>[0]) {
  const { requests } = stubFetch(routes);
  const Stub = { render: () => null };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/invite/:token', name: 'accept-invitation', component: AcceptInvitationView },
      { path: '/login', name: 'login', component: Stub },
      { path: '/workspace', name: 'workspace', component: Stub },
    ],
  });
  await router.push('/invite/the-token');
  const wrapper = mount(AcceptInvitationView, {
    global: { plugins: [createPinia(), router, createTestI18n()] },
  });
  await flushPromises();
  return { wrapper, requests, router };
}

describe('AcceptInvitationView', () => {
  it('shows who invited whom, sets the name and password, and lands signed in', async () => {
    const user = makeUser({ name: 'Anna Petrova', role: 'operator' });
    const { wrapper, requests, router } = await mountAccept({
      [PREVIEW]: jsonResponse(200, { tenantName: 'Acme', email: 'anna@acme.test', name: 'Anna' }),
      [ACCEPT]: jsonResponse(201, { token: 'session-token', user, tenant: makeTenant() }),
    });
    expect(wrapper.text()).toContain('Acme invited you.');
    expect(wrapper.get('[data-testid="invitation-email"]').text()).toContain('anna@acme.test');
    expect((wrapper.get('#accept-name').element as HTMLInputElement).value).toBe('Anna');

    await wrapper.get('#accept-name').setValue('Anna Petrova');
    await wrapper.get('#accept-password').setValue('a long password');
    await wrapper.get('form').trigger('submit');
    await flushPromises();

    const accept = requests.find((request) => request.method === 'POST');
    expect(accept?.body).toEqual({ name: 'Anna Petrova', password: 'a long password' });
    expect(accept?.headers['authorization']).toBeUndefined();
    expect(router.currentRoute.value.name).toBe('workspace');
  });

  it('says the link no longer works when it was used, revoked or expired', async () => {
    const { wrapper } = await mountAccept({
      [PREVIEW]: errorResponse(410, 'INVITATION_EXPIRED', 'gone'),
    });
    expect(wrapper.get('[data-testid="invitation-expired"]').text()).toContain(
      'This invitation link no longer works',
    );
    expect(wrapper.find('form').exists()).toBe(false);
    // No "Checking your invitation…" left beside the answer.
    expect(wrapper.find('.auth-layout__subtitle').exists()).toBe(false);
  });
});
