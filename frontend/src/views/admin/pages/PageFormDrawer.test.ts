import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { ApiError } from '@/api/http';
import { makeFacebookPage } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import PageFormDrawer from './PageFormDrawer.vue';
import type { PageFormMode, PageSaveRequest } from './page-form';

// naive-ui teleports the drawer to <body>, so the fields are found through the document.
function field(testId: string): HTMLInputElement {
  const element = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`);
  if (!element) throw new Error(`no element with data-testid=${testId}`);
  return element;
}

async function type(testId: string, value: string): Promise<void> {
  const input = field(testId);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await nextTick();
}

async function click(testId: string): Promise<void> {
  field(testId).click();
  await flushPromises();
}

function mountDrawer(mode: PageFormMode, save: (request: PageSaveRequest) => Promise<void>) {
  return mount(PageFormDrawer, {
    props: {
      show: true,
      mode,
      departmentOptions: [{ id: 'd1', name: 'Sales' }],
      isSaving: false,
      save,
    },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
}

describe('PageFormDrawer', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('pre-fills a strong confirmation code and generates a new one on request', async () => {
    const wrapper = mountDrawer({ kind: 'create' }, vi.fn());
    await flushPromises();

    const first = field('page-verify-token').value;
    expect(first.length).toBeGreaterThanOrEqual(32);
    await click('page-verify-token-generate');
    const second = field('page-verify-token').value;

    expect(second.length).toBeGreaterThanOrEqual(32);
    expect(second).not.toBe(first);
    wrapper.unmount();
  });

  it('connects a page with the create payload and the code shown in the form', async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('page-name', ' Support ');
    await type('page-access-token', 'EAAG-token');
    await type('page-app-secret', 'app-secret');
    const code = field('page-verify-token').value;
    await click('page-save');

    expect(save).toHaveBeenCalledWith({
      kind: 'create',
      input: {
        name: 'Support',
        accessToken: 'EAAG-token',
        verifyToken: code,
        appSecret: 'app-secret',
        departmentId: null,
        humanAgentEnabled: false,
        handover: { enabled: false },
      },
    });
    expect(wrapper.emitted('update:show')).toEqual([[false]]);
    wrapper.unmount();
  });

  it('does not send a new page without its token and secret, and says why', async () => {
    const save = vi.fn();
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('page-name', 'Support');
    await click('page-save');

    expect(save).not.toHaveBeenCalled();
    expect(document.body.textContent).toContain('This field is required.');
    wrapper.unmount();
  });

  it('shows Facebook’s reason under the token field and stays open', async () => {
    const save = vi.fn().mockRejectedValue(
      new ApiError(422, 'FACEBOOK_TOKEN_INVALID', 'Facebook refused this page access token', {
        fields: { accessToken: 'Session has expired' },
      }),
    );
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('page-name', 'Support');
    await type('page-access-token', 'EAAG-old');
    await type('page-app-secret', 'app-secret');
    await click('page-save');

    const tokenItem = field('page-access-token').closest('.n-form-item');
    expect(tokenItem?.textContent).toContain('Facebook refused this token: Session has expired');
    expect(document.querySelector('[data-testid="page-form-error"]')).toBeNull();
    expect(wrapper.emitted('update:show')).toBeUndefined();
    wrapper.unmount();
  });

  it('edits with blank secrets kept out of the payload, and explains what is kept', async () => {
    const page = makeFacebookPage({ name: 'Support', accessTokenHint: 'x9Zq' });
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'edit', page }, save);
    await flushPromises();

    expect(field('page-access-token').value).toBe('');
    expect(field('page-app-secret').value).toBe('');
    expect(document.body.textContent).toContain('ends with …x9Zq');
    await type('page-name', 'Support EU');
    await click('page-save');

    expect(save).toHaveBeenCalledWith({ kind: 'edit', id: page.id, input: { name: 'Support EU' } });
    wrapper.unmount();
  });
});
