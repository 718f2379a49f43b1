import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { ApiError } from '@/api/http';
import { makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import OperatorFormDrawer from './OperatorFormDrawer.vue';
import type { OperatorFormMode, OperatorSaveRequest } from './operator-form';

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

async function clickSave(): Promise<void> {
  field('operator-save').click();
  await flushPromises();
}

function mountDrawer(
  mode: OperatorFormMode,
  save: (request: OperatorSaveRequest) => Promise<void>,
) {
  return mount(OperatorFormDrawer, {
    props: {
      show: true,
      mode,
      departmentOptions: [{ id: 'd1', name: 'Sales' }],
      defaultMaxChats: 5,
      isSelf: false,
      isSaving: false,
      save,
    },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
}

describe('OperatorFormDrawer', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('does not save a new operator without a password and says why', async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('operator-name', 'Olga');
    await type('operator-email', 'olga@acme.io');
    await clickSave();

    expect(save).not.toHaveBeenCalled();
    expect(document.body.textContent).toContain('This field is required.');
    wrapper.unmount();
  });

  it('invites without a password field and saves the invitation payload', async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'invite' }, save);
    await flushPromises();

    expect(document.querySelector('[data-testid="operator-password"]')).toBeNull();
    await type('operator-name', ' Olga ');
    await type('operator-email', 'olga@acme.io');
    await clickSave();

    expect(save).toHaveBeenCalledWith({
      kind: 'invite',
      input: {
        name: 'Olga',
        email: 'olga@acme.io',
        role: 'operator',
        departmentIds: [],
        maxChats: null,
      },
    });
    expect(document.body.textContent).toContain('Send invitation');
    wrapper.unmount();
  });

  it('saves a new operator with the create payload', async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('operator-name', ' Olga ');
    await type('operator-email', 'olga@acme.io');
    await type('operator-password', 'correct-horse');
    await clickSave();

    expect(save).toHaveBeenCalledWith({
      kind: 'create',
      input: {
        name: 'Olga',
        email: 'olga@acme.io',
        password: 'correct-horse',
        role: 'operator',
        departmentIds: [],
        maxChats: null,
      },
    });
    expect(wrapper.emitted('update:show')).toEqual([[false]]);
    wrapper.unmount();
  });

  it('edits with only the changed fields, keeping the password when blank', async () => {
    const operator = makeUser({ name: 'Olga', email: 'olga@acme.io' });
    const save = vi.fn().mockResolvedValue(undefined);
    const wrapper = mountDrawer({ kind: 'edit', operator }, save);
    await flushPromises();

    expect(field('operator-name').value).toBe('Olga');
    await type('operator-name', 'Olga Petrova');
    await clickSave();

    expect(save).toHaveBeenCalledWith({
      kind: 'edit',
      id: operator.id,
      input: { name: 'Olga Petrova' },
    });
    wrapper.unmount();
  });

  it('shows EMAIL_TAKEN under the email field and stays open', async () => {
    const save = vi
      .fn()
      .mockRejectedValue(new ApiError(409, 'EMAIL_TAKEN', 'Email already registered'));
    const wrapper = mountDrawer({ kind: 'create' }, save);
    await flushPromises();

    await type('operator-name', 'Olga');
    await type('operator-email', 'olga@acme.io');
    await type('operator-password', 'correct-horse');
    await clickSave();

    expect(document.body.textContent).toContain('An account with this email already exists.');
    expect(wrapper.emitted('update:show')).toBeUndefined();
    wrapper.unmount();
  });
});
