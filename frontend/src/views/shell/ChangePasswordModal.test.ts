import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/http';
import type { ChangePasswordInput } from '@/api/types';
import { byTestId, typeInto } from '@/test/dom';
import { createTestI18n } from '@/test/i18n';
import ChangePasswordModal from './ChangePasswordModal.vue';

async function fillAndSave(current: string, next: string): Promise<void> {
  await typeInto('password-current', current);
  await typeInto('password-new', next);
  byTestId('password-save').click();
  await flushPromises();
}

function mountModal(save: (input: ChangePasswordInput) => Promise<void>) {
  return mount(ChangePasswordModal, {
    props: { show: true, isSaving: false, save },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
}

const modalText = () => byTestId('password-modal').textContent ?? '';

describe('ChangePasswordModal', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('sends both passwords and says the other sessions were signed out', async () => {
    const save = vi.fn().mockResolvedValue(undefined);
    mountModal(save);
    await flushPromises();

    await fillAndSave('old password', 'a new passphrase');

    expect(save).toHaveBeenCalledWith({
      currentPassword: 'old password',
      newPassword: 'a new passphrase',
    });
    expect(byTestId('password-changed').textContent).toContain('signed out');
  });

  it('puts WRONG_PASSWORD under the current password and WEAK_PASSWORD under the new one', async () => {
    const save = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(400, 'WRONG_PASSWORD', 'Wrong.'))
      .mockRejectedValueOnce(new ApiError(400, 'WEAK_PASSWORD', 'Weak.'));
    mountModal(save);
    await flushPromises();

    await fillAndSave('not it', 'a new passphrase');
    expect(modalText()).toContain('Your current password is not right.');

    await fillAndSave('old password', 'password123');
    expect(modalText()).toContain('This password is too easy to guess.');
    expect(modalText()).not.toContain('Your current password is not right.');
  });

  it('checks the fields before sending', async () => {
    const save = vi.fn();
    mountModal(save);
    await flushPromises();

    await fillAndSave('', 'short');

    expect(save).not.toHaveBeenCalled();
    expect(modalText()).toContain('This field is required.');
    expect(modalText()).toContain('Use at least');
  });
});
