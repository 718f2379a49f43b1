import { flushPromises, mount } from '@vue/test-utils';
import { NDialogProvider, NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { h } from 'vue';
import { configureHttpAuth } from '@/api/http';
import { byTestId } from '@/test/dom';
import { jsonResponse, stubFetch } from '@/test/fetch-mock';
import { createTestI18n } from '@/test/i18n';
import ApiTokensView from './ApiTokensView.vue';

const SECRET = 'omni_Ab3xSECRETSECRETSECRETSECRETSECRETSECRET';

function mountView() {
  return mount(NMessageProvider, {
    slots: { default: () => h(NDialogProvider, () => h(ApiTokensView)) },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
}

describe('ApiTokensView', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureHttpAuth({ getToken: () => 'jwt', onUnauthenticated: () => {} });
    document.body.innerHTML = '';
  });

  it('creates a token, shows it once with a warning, and lists only its prefix after', async () => {
    const used = new Date(Date.now() - 5 * 60_000).toISOString();
    stubFetch({
      'GET /api/api-tokens': jsonResponse(200, {
        items: [
          {
            id: 'old',
            name: 'Reports',
            prefix: 'omni_Zz9q',
            createdAt: '2026-11-01T09:00:00.000Z',
            lastUsedAt: used,
            createdBy: null,
          },
        ],
      }),
      'POST /api/api-tokens': jsonResponse(201, {
        id: 'new',
        name: 'CRM sync',
        prefix: 'omni_Ab3x',
        createdAt: new Date().toISOString(),
        lastUsedAt: null,
        createdBy: { id: 'u1', name: 'Admin' },
        token: SECRET,
      }),
    });
    const wrapper = mountView();
    await flushPromises();
    expect(document.body.textContent).toContain('5 minutes ago');
    expect(document.body.textContent).toContain('by a deleted user');

    byTestId('api-token-create').click();
    await flushPromises();
    const name = document.querySelector<HTMLInputElement>('#api-token-name')!;
    name.value = 'CRM sync';
    name.dispatchEvent(new Event('input'));
    byTestId('api-token-submit').click();
    await flushPromises();

    expect(byTestId('api-token-secret').textContent).toBe(SECRET);
    expect(document.body.textContent).toContain('It will not be shown again');

    byTestId('api-token-done').click();
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 400)); // the modal's leave transition
    expect(document.body.textContent).not.toContain(SECRET);
    expect(document.body.textContent).toContain('omni_Ab3x…');
    expect(document.body.textContent).toContain('Never used');
    wrapper.unmount();
  });
});
