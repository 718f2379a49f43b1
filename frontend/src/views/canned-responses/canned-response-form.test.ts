import { describe, expect, it } from 'vitest';
import { formFor, toCreateInput, validateCannedForm } from './canned-response-form';

describe('canned response form', () => {
  it('starts shared for admins and personal for operators', () => {
    expect(formFor(null, true).scope).toBe('tenant');
    expect(formFor(null, false).scope).toBe('personal');
  });

  it('names each field that needs attention', () => {
    const form = { ...formFor(null, true), scope: 'department' as const };
    expect(validateCannedForm(form)).toEqual({
      shortcut: { key: 'validation.required' },
      text: { key: 'validation.required' },
      departmentId: { key: 'canned.chooseDepartment' },
    });
    expect(
      validateCannedForm({ ...form, shortcut: 'two words', text: 'x', departmentId: 'd' }),
    ).toEqual({ shortcut: { key: 'canned.shortcutFormat' } });
    expect(
      validateCannedForm({ ...form, shortcut: '/hello', text: 'x', departmentId: 'd' }),
    ).toEqual({});
  });

  it('sends a trimmed input without a leading slash, and a department only with its scope', () => {
    const form = {
      shortcut: ' /hello ',
      title: '  ',
      text: ' Hi {{visitor.first_name}} ',
      scope: 'tenant' as const,
      departmentId: 'left-over',
    };
    expect(toCreateInput(form)).toEqual({
      shortcut: 'hello',
      title: null,
      text: 'Hi {{visitor.first_name}}',
      scope: 'tenant',
    });
    expect(toCreateInput({ ...form, scope: 'department' }).departmentId).toBe('left-over');
  });
});
