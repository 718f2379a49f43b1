import { describe, expect, it } from 'vitest';
import en from '@/i18n/locales/en';
import { AUDIT_ACTIONS, actionKey, showChanges } from './audit-log-format';

describe('audit log format', () => {
  it('names every action in the messages', () => {
    const actions = en.auditLog.actions as Record<string, string>;
    for (const action of AUDIT_ACTIONS) {
      const key = actionKey(action).replace('auditLog.actions.', '');
      expect(actions[key], action).toEqual(expect.any(String));
    }
  });

  it('shows plain values readably and a secret only as changed', () => {
    expect(
      showChanges({
        name: { from: 'Sales', to: 'Sales EU' },
        active: { from: true, to: false },
        departments: { from: null, to: ['Billing', 'Sales'] },
        accessToken: { changed: true },
      }),
    ).toEqual([
      {
        field: 'name',
        kind: 'value',
        from: { kind: 'text', text: 'Sales' },
        to: { kind: 'text', text: 'Sales EU' },
      },
      {
        field: 'active',
        kind: 'value',
        from: { kind: 'boolean', value: true },
        to: { kind: 'boolean', value: false },
      },
      {
        field: 'departments',
        kind: 'value',
        from: { kind: 'empty' },
        to: { kind: 'text', text: 'Billing, Sales' },
      },
      { field: 'accessToken', kind: 'secret' },
    ]);
  });

  it("names the days of business hours' weekly ranges in the panel's language", () => {
    const weekly = { from: ['1 09:00–13:00'], to: ['1 09:00–18:00', '7 10:00–14:00'] };
    expect(showChanges({ weekly }, 'en')).toEqual([
      {
        field: 'weekly',
        kind: 'value',
        from: { kind: 'text', text: 'Mon 09:00–13:00' },
        to: { kind: 'text', text: 'Mon 09:00–18:00, Sun 10:00–14:00' },
      },
    ]);
    const [russian] = showChanges({ weekly }, 'ru');
    expect(russian).toMatchObject({ to: { text: 'пн 09:00–18:00, вс 10:00–14:00' } });
  });
});
