import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureHttpAuth } from '@/api/http';
import { errorResponse, jsonResponse, stubFetch } from '@/test/fetch-mock';
import { makeTenant, makeUser } from '@/test/factories';
import { useSessionStore } from './session';
import { recoveryCodesText, useTwoFactorStore } from './two-factor';

const SETUP = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  otpauthUrl: 'otpauth://totp/Omni:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
};
const CODES = ['abcde-fghij', 'kmnpq-rstuv'];

function signIn(
  role: 'admin' | 'operator',
  options: { require2faForAdmins?: boolean; twoFactorEnabled?: boolean } = {},
) {
  const session = useSessionStore();
  configureHttpAuth({
    getToken: () => session.token,
    onUnauthenticated: session.clearSession,
    onTwoFactorSetupRequired: session.requireTwoFactorSetup,
  });
  session.token = 'jwt';
  session.user = makeUser({ role, twoFactorEnabled: options.twoFactorEnabled ?? false });
  session.tenant = makeTenant({ require2faForAdmins: options.require2faForAdmins ?? false });
  return session;
}

describe('two-factor store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('sets up, then turns on: the secret is forgotten, the recovery codes kept for showing once', async () => {
    const { requests } = stubFetch({
      'POST /api/me/2fa/setup': jsonResponse(200, SETUP),
      'POST /api/me/2fa/enable': jsonResponse(200, { recoveryCodes: CODES }),
    });
    const session = signIn('operator');
    const twoFactor = useTwoFactorStore();

    await twoFactor.start();
    expect(twoFactor.setup).toEqual(SETUP);

    await twoFactor.enable(' 123456 ');
    expect(requests[1]?.body).toEqual({ code: '123456' });
    expect(twoFactor.setup).toBeNull();
    expect(twoFactor.recoveryCodes).toEqual(CODES);
    expect(session.user?.twoFactorEnabled).toBe(true);

    twoFactor.reset();
    expect(twoFactor.recoveryCodes).toBeNull();
  });

  it('keeps the pending secret after a wrong code, so the person can try again', async () => {
    stubFetch({
      'POST /api/me/2fa/setup': jsonResponse(200, SETUP),
      'POST /api/me/2fa/enable': errorResponse(400, 'INVALID_TWO_FACTOR_CODE'),
    });
    const session = signIn('operator');
    const twoFactor = useTwoFactorStore();
    await twoFactor.start();

    await expect(twoFactor.enable('000000')).rejects.toMatchObject({
      code: 'INVALID_TWO_FACTOR_CODE',
    });
    expect(twoFactor.setup).toEqual(SETUP);
    expect(twoFactor.isEnabling).toBe(false);
    expect(session.user?.twoFactorEnabled).toBe(false);
  });

  it('frees a forced admin once enabled', async () => {
    stubFetch({ 'POST /api/me/2fa/enable': jsonResponse(200, { recoveryCodes: CODES }) });
    const session = signIn('admin', { require2faForAdmins: true });
    session.requireTwoFactorSetup();
    expect(session.isTwoFactorSetupRequired).toBe(true);

    await useTwoFactorStore().enable('123456');
    expect(session.isTwoFactorSetupRequired).toBe(false);
  });

  it('turning off makes an admin of a business that requires it set it up again; an operator not', async () => {
    stubFetch({ 'POST /api/me/2fa/disable': new Response(null, { status: 204 }) });
    const admin = signIn('admin', { require2faForAdmins: true, twoFactorEnabled: true });
    await useTwoFactorStore().disable('abcde-fghij');
    expect(admin.user?.twoFactorEnabled).toBe(false);
    expect(admin.isTwoFactorSetupRequired).toBe(true);

    setActivePinia(createPinia());
    const operator = signIn('operator', { require2faForAdmins: true, twoFactorEnabled: true });
    await useTwoFactorStore().disable('123456');
    expect(operator.isTwoFactorSetupRequired).toBe(false);
  });

  it('a 403 TWO_FACTOR_SETUP_REQUIRED from any request puts the session in setup mode', async () => {
    stubFetch({ 'GET /api/me': errorResponse(403, 'TWO_FACTOR_SETUP_REQUIRED') });
    const session = signIn('admin');

    await expect(session.refresh()).rejects.toMatchObject({ code: 'TWO_FACTOR_SETUP_REQUIRED' });
    expect(session.isTwoFactorSetupRequired).toBe(true);
    expect(session.token).toBe('jwt'); // a 403 ends nothing
  });

  it('takes the setup requirement from the sign-in answer, and forgets it at logout', async () => {
    const user = { ...makeUser({ role: 'admin' }), twoFactorSetupRequired: true };
    stubFetch({
      'POST /api/auth/login': jsonResponse(200, { token: 'jwt-2', user, tenant: makeTenant() }),
    });
    const session = useSessionStore();
    await session.login({ email: user.email, password: 'secret123' });
    expect(session.isTwoFactorSetupRequired).toBe(true);
    session.clearSession();
    expect(session.isTwoFactorSetupRequired).toBe(false);
  });
});

describe('recoveryCodesText', () => {
  it('is a heading, the account and one code a line', () => {
    expect(recoveryCodesText(CODES, 'ada@example.com', 'Omni recovery codes')).toBe(
      'Omni recovery codes\nada@example.com\n\nabcde-fghij\nkmnpq-rstuv\n',
    );
  });
});
