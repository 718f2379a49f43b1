import { describe, expect, it } from 'vitest';
import { makeFacebookPage } from '@/test/factories';
import {
  buildCreatePayload,
  buildUpdatePayload,
  emptyPageForm,
  generateConfirmationCode,
  pageFormFrom,
  setupSteps,
  validatePageForm,
} from './page-form';
import type { PageFormValues } from './page-form';

function validForm(overrides: Partial<PageFormValues> = {}): PageFormValues {
  return {
    ...emptyPageForm(),
    name: 'Support',
    accessToken: 'EAAG-token',
    appSecret: 'app-secret',
    ...overrides,
  };
}

describe('generateConfirmationCode', () => {
  it('makes a long code the server accepts, different every time', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateConfirmationCode()));

    expect(codes.size).toBe(50);
    for (const code of codes) {
      expect(code.length).toBeGreaterThanOrEqual(32);
      expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('pre-fills every new form with a fresh code', () => {
    const first = emptyPageForm().verifyToken;
    const second = emptyPageForm().verifyToken;

    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(first).not.toBe(second);
    expect(validatePageForm(validForm({ verifyToken: first }), { kind: 'create' })).toEqual({});
  });
});

describe('validatePageForm', () => {
  it('requires the name, token and secret of a new page', () => {
    const result = validatePageForm(validForm({ name: ' ', accessToken: '', appSecret: ' ' }), {
      kind: 'create',
    });

    expect(result.name?.key).toBe('validation.required');
    expect(result.accessToken?.key).toBe('validation.required');
    expect(result.appSecret?.key).toBe('validation.required');
  });

  it('lets an edit keep the token and secret when blank', () => {
    const page = makeFacebookPage();

    expect(validatePageForm(pageFormFrom(page), { kind: 'edit', page })).toEqual({});
  });

  it('checks the confirmation code like the server does', () => {
    const create = { kind: 'create' } as const;
    expect(validatePageForm(validForm({ verifyToken: 'short' }), create).verifyToken?.key).toBe(
      'pages.verifyTokenLength',
    );
    expect(
      validatePageForm(validForm({ verifyToken: 'has a space in it' }), create).verifyToken?.key,
    ).toBe('pages.verifyTokenCharacters');
    expect(validatePageForm(validForm({ verifyToken: '' }), create).verifyToken?.key).toBe(
      'validation.required',
    );
  });
});

describe('payloads', () => {
  it('builds the POST body with exactly the API fields, trimmed', () => {
    const payload = buildCreatePayload(
      validForm({
        name: ' Support ',
        accessToken: ' EAAG-token\n',
        verifyToken: 'a-strong-confirmation-code',
        appSecret: ' app-secret ',
        departmentId: 'd1',
        humanAgentEnabled: true,
        handoverEnabled: true,
      }),
    );

    expect(payload).toEqual({
      name: 'Support',
      accessToken: 'EAAG-token',
      verifyToken: 'a-strong-confirmation-code',
      appSecret: 'app-secret',
      departmentId: 'd1',
      humanAgentEnabled: true,
      handover: { enabled: true },
    });
  });

  it('starts an edit with empty secrets and sends only what changed', () => {
    const page = makeFacebookPage({ name: 'Support', departmentId: 'd1' });
    const values = pageFormFrom(page);

    expect(values.accessToken).toBe('');
    expect(values.appSecret).toBe('');
    expect(buildUpdatePayload(values, page)).toEqual({});

    values.name = 'Support EU';
    values.departmentId = null;
    expect(buildUpdatePayload(values, page)).toEqual({ name: 'Support EU', departmentId: null });
  });

  it('sends the handover switch only when it changed', () => {
    const page = makeFacebookPage({ handover: { enabled: true } });
    const values = pageFormFrom(page);
    expect(values.handoverEnabled).toBe(true);
    expect(buildUpdatePayload(values, page)).toEqual({});

    values.handoverEnabled = false;
    expect(buildUpdatePayload(values, page)).toEqual({ handover: { enabled: false } });
  });

  it('never sends a blank token or secret on edit, and sends a replaced one', () => {
    const page = makeFacebookPage();
    const values = { ...pageFormFrom(page), accessToken: '   ', appSecret: '' };

    const untouched = buildUpdatePayload(values, page);
    expect(untouched).not.toHaveProperty('accessToken');
    expect(untouched).not.toHaveProperty('appSecret');

    values.accessToken = 'EAAG-new-token';
    expect(buildUpdatePayload(values, page)).toEqual({ accessToken: 'EAAG-new-token' });
  });
});

describe('setupSteps', () => {
  it('follows the page status in order', () => {
    const page = makeFacebookPage({
      status: {
        tokenValid: true,
        webhookVerifiedAt: '2025-02-01T10:00:00.000Z',
        subscribed: false,
      },
    });

    expect(setupSteps(page).map((step) => [step.id, step.done])).toEqual([
      ['token', true],
      ['permissions', true],
      ['webhook', true],
      ['subscribed', false],
      ['firstMessage', false],
    ]);
  });

  it('leaves the permissions step open while the token lacks one, or is refused', () => {
    const lacking = makeFacebookPage({
      status: { tokenValid: true, missingPermissions: ['pages_messaging'] },
    });
    expect(setupSteps(lacking)[1]).toMatchObject({
      id: 'permissions',
      done: false,
      missing: ['pages_messaging'],
    });
    const refused = makeFacebookPage({ status: { tokenValid: false } });
    expect(setupSteps(refused)[1]).toMatchObject({ id: 'permissions', done: false });
  });
});
