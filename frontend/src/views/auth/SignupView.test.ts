import { enableAutoUnmount, flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { errorResponse, stubFetch } from '@/test/fetch-mock';
import { mountAuthView } from '@/test/mount-auth-view';
import SignupView from './SignupView.vue';

enableAutoUnmount(afterEach);

async function mountSignup(answer: Response) {
  const { requests } = stubFetch({ 'POST /api/auth/signup': answer });
  const wrapper = await mountAuthView(SignupView, 'signup');
  return { wrapper, requests };
}

async function fillAndSubmit(
  wrapper: Awaited<ReturnType<typeof mountSignup>>['wrapper'],
  password: string,
) {
  await wrapper.get('#signup-tenant-name').setValue('Acme');
  await wrapper.get('#signup-name').setValue('Ann');
  await wrapper.get('#signup-email').setValue('ann@acme.test');
  await wrapper.get('#signup-password').setValue(password);
  await wrapper.get('form').trigger('submit');
  await flushPromises();
}

describe('SignupView: the password rule', () => {
  it('states the rule under the password and refuses fewer than 10 characters before sending', async () => {
    const { wrapper, requests } = await mountSignup(errorResponse(500, 'UNEXPECTED'));
    expect(wrapper.text()).toContain('At least 10 characters, and not a common password.');

    await fillAndSubmit(wrapper, 'nine char');

    expect(requests).toHaveLength(0);
    expect(wrapper.text()).toContain('Use at least 10 characters.');
  });

  it("shows the server's WEAK_PASSWORD under the password field", async () => {
    const { wrapper, requests } = await mountSignup(
      errorResponse(400, 'WEAK_PASSWORD', 'This password is one of the most common ones.', {
        fields: { password: 'This password is one of the most common ones.' },
      }),
    );

    await fillAndSubmit(wrapper, 'password123');

    expect(requests).toHaveLength(1);
    expect(wrapper.text()).toContain(
      'This password is too easy to guess. Choose a longer one that is not a common password.',
    );
    expect(wrapper.find('[data-testid="signup-error"]').exists()).toBe(false);
  });
});
