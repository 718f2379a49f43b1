import { describe, expect, it } from 'vitest';
import { makeUser } from '@/test/factories';
import {
  buildCreatePayload,
  buildUpdatePayload,
  emptyOperatorForm,
  operatorFormFrom,
  validateOperatorForm,
} from './operator-form';
import type { OperatorFormValues } from './operator-form';

function validForm(overrides: Partial<OperatorFormValues> = {}): OperatorFormValues {
  return {
    ...emptyOperatorForm(),
    name: 'Olga Petrova',
    email: 'olga@acme.io',
    password: 'correct-horse',
    ...overrides,
  };
}

describe('validateOperatorForm', () => {
  it('accepts a complete new operator', () => {
    expect(validateOperatorForm(validForm(), { kind: 'create' })).toEqual({});
  });

  it('requires a password on create', () => {
    const result = validateOperatorForm(validForm({ password: '' }), { kind: 'create' });

    expect(result.password?.key).toBe('validation.required');
  });

  it('lets an edit keep the current password when the field is blank', () => {
    const operator = makeUser();
    const values = operatorFormFrom(operator);

    expect(values.password).toBe('');
    expect(validateOperatorForm(values, { kind: 'edit', operator })).toEqual({});
  });

  it('rejects a short password on create and on edit', () => {
    const operator = makeUser();
    const short = validForm({ password: 'nine char' });

    expect(validateOperatorForm(short, { kind: 'create' }).password?.key).toBe(
      'validation.passwordLength',
    );
    expect(validateOperatorForm(short, { kind: 'edit', operator }).password?.params).toEqual({
      min: 10,
    });
  });

  it('requires a name and a plausible email', () => {
    const result = validateOperatorForm(validForm({ name: '  ', email: 'olga@' }), {
      kind: 'create',
    });

    expect(result.name?.key).toBe('validation.required');
    expect(result.email?.key).toBe('validation.email');
  });

  it('accepts an empty max chats (tenant default) and rejects non-integers or out of range', () => {
    const create = { kind: 'create' } as const;
    expect(validateOperatorForm(validForm({ maxChats: null }), create).maxChats).toBeUndefined();
    expect(validateOperatorForm(validForm({ maxChats: 3 }), create).maxChats).toBeUndefined();
    expect(validateOperatorForm(validForm({ maxChats: 0 }), create).maxChats?.key).toBe(
      'validation.wholeNumber',
    );
    expect(validateOperatorForm(validForm({ maxChats: 2.5 }), create).maxChats).toBeDefined();
  });
});

describe('buildCreatePayload', () => {
  it('builds the POST /api/operators body, trimmed, with null max chats for the default', () => {
    const payload = buildCreatePayload(
      validForm({
        name: '  Olga Petrova ',
        email: ' olga@acme.io ',
        role: 'admin',
        departmentIds: ['d1', 'd2'],
        maxChats: null,
      }),
    );

    expect(payload).toEqual({
      name: 'Olga Petrova',
      email: 'olga@acme.io',
      password: 'correct-horse',
      role: 'admin',
      departmentIds: ['d1', 'd2'],
      maxChats: null,
    });
  });
});

describe('buildUpdatePayload', () => {
  const operator = makeUser({
    name: 'Olga',
    email: 'olga@acme.io',
    role: 'operator',
    departmentIds: ['d1', 'd2'],
    maxChats: 4,
  });

  it('is empty when nothing changed (departments in another order count as unchanged)', () => {
    const values = { ...operatorFormFrom(operator), departmentIds: ['d2', 'd1'] };

    expect(buildUpdatePayload(values, operator)).toEqual({});
  });

  it('sends only the changed fields and never a blank password', () => {
    const values = {
      ...operatorFormFrom(operator),
      name: 'Olga P.',
      departmentIds: ['d3'],
      maxChats: null,
    };

    expect(buildUpdatePayload(values, operator)).toEqual({
      name: 'Olga P.',
      departmentIds: ['d3'],
      maxChats: null,
    });
  });

  it('includes a new password and a role change', () => {
    const values = {
      ...operatorFormFrom(operator),
      password: 'new-password',
      role: 'admin' as const,
    };

    expect(buildUpdatePayload(values, operator)).toEqual({
      password: 'new-password',
      role: 'admin',
    });
  });
});
