import { flushPromises, mount } from '@vue/test-utils';
import { NMessageProvider } from 'naive-ui';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { h, nextTick, ref } from 'vue';
import { configureHttpAuth } from '@/api/http';
import { useSessionStore } from '@/stores/session';
import { byTestId } from '@/test/dom';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { makeTenant, makeUser } from '@/test/factories';
import { createTestI18n } from '@/test/i18n';
import TwoFactorModal from './TwoFactorModal.vue';

const SETUP = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  otpauthUrl: 'otpauth://totp/Omni:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Omni',
};
const CODES = Array.from({ length: 10 }, (_, index) => `code${index}-abcde`);

const show = ref(true);

function mountModal(twoFactorEnabled: boolean) {
  const session = useSessionStore();
  session.token = 'jwt';
  session.user = makeUser({ role: 'operator', twoFactorEnabled });
  session.tenant = makeTenant();
  configureHttpAuth({ getToken: () => session.token, onUnauthenticated: () => {} });
  show.value = true;
  mount(NMessageProvider, {
    slots: {
      default: () =>
        h(TwoFactorModal, {
          show: show.value,
          'onUpdate:show': (value: boolean) => (show.value = value),
        }),
    },
    global: { plugins: [createTestI18n()] },
    attachTo: document.body,
  });
  return session;
}

async function typeCode(id: string, value: string): Promise<void> {
  const input = document.getElementById(id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await nextTick();
}

async function submit(testId: string): Promise<void> {
  byTestId(testId).click();
  await flushPromises();
}

const modalText = () => byTestId('two-factor-modal').textContent ?? '';

describe('TwoFactorModal', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('sets up: the QR code and the key in groups, a wrong code under the field, then the recovery codes once', async () => {
    let enableCalls = 0;
    const { requests } = stubFetch({
      'POST /api/me/2fa/setup': jsonResponse(200, SETUP),
      'POST /api/me/2fa/enable': () =>
        ++enableCalls === 1
          ? errorResponse(400, 'INVALID_TWO_FACTOR_CODE')
          : jsonResponse(200, { recoveryCodes: CODES }),
    });
    const session = mountModal(false);
    await flushPromises();
    expect(modalText()).toContain('Off');

    await submit('two-factor-start');
    expect(byTestId('two-factor-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(byTestId('two-factor-secret').textContent).toBe(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );

    await typeCode('two-factor-code', '000000');
    await submit('two-factor-enable');
    expect(modalText()).toContain('That code is not right');

    await typeCode('two-factor-code', '123456');
    await submit('two-factor-enable');
    expect(requests.at(-1)?.body).toEqual({ code: '123456' });
    const shown = byTestId('two-factor-recovery-codes').querySelectorAll('li');
    expect([...shown].map((item) => item.textContent)).toEqual(CODES);
    expect(document.querySelector('[data-testid="two-factor-secret"]')).toBeNull();
    expect(session.user?.twoFactorEnabled).toBe(true);

    await submit('two-factor-done');
    expect(show.value).toBe(false);
  });

  it('when on, turns off with a code and says so', async () => {
    const { requests } = stubFetch({
      'POST /api/me/2fa/disable': new Response(null, { status: 204 }),
    });
    const session = mountModal(true);
    await flushPromises();
    expect(modalText()).toContain('On');

    await submit('two-factor-disable');
    expect(modalText()).toContain('This field is required.');
    expect(requests).toHaveLength(0);

    await typeCode('two-factor-disable-code', 'abcde-fghij');
    await submit('two-factor-disable');
    expect(requests[0]?.body).toEqual({ code: 'abcde-fghij' });
    expect(session.user?.twoFactorEnabled).toBe(false);
    expect(byTestId('two-factor-disabled').textContent).toContain('off');
  });
});
