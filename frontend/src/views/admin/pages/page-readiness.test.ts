import { describe, expect, it } from 'vitest';
import type { PageReadinessCheck } from '@/api/types';
import en from '@/i18n/locales/en';
import ru from '@/i18n/locales/ru';
import bn from '@/i18n/locales/bn';
import { countUnpassed, readinessMessage } from './page-readiness';

function check(overrides: Partial<PageReadinessCheck>): PageReadinessCheck {
  return { id: 'permissions', ok: false, detail: '', problem: null, missing: [], ...overrides };
}

/** The message at a dotted key of a locale, or undefined. */
function lookUp(messages: object, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node as Record<string, unknown> | undefined)?.[part],
      messages,
    );
}

describe('readiness messages', () => {
  it('names the missing permissions and fields', () => {
    expect(
      readinessMessage(
        check({ problem: 'missing', missing: ['pages_messaging', 'pages_show_list'] }),
      ),
    ).toEqual({
      key: 'readiness.checks.permissions.missing',
      values: { items: 'pages_messaging, pages_show_list' },
    });
    expect(
      readinessMessage(
        check({ id: 'subscription', problem: 'missing', missing: ['message_reads'] }),
      ),
    ).toEqual({ key: 'readiness.checks.subscription.missing', values: { items: 'message_reads' } });
  });

  it('tells a refused token from what cannot be known while it is refused', () => {
    expect(readinessMessage(check({ id: 'token', problem: 'token_refused' })).key).toBe(
      'readiness.tokenRefused',
    );
    expect(readinessMessage(check({ problem: 'token_refused' })).key).toBe(
      'readiness.unknownWhileTokenRefused',
    );
  });

  it("keeps Facebook's words only for Facebook's errors", () => {
    expect(
      readinessMessage(check({ id: 'subscription', problem: 'facebook_error', detail: 'Nope' })),
    ).toEqual({ key: 'readiness.facebookError', values: { detail: 'Nope' } });
    expect(readinessMessage(check({ problem: 'facebook_unavailable' })).key).toBe(
      'readiness.facebookUnavailable',
    );
  });

  it('has a text for every outcome of every check in en, ru and bn', () => {
    const outcomes: Partial<PageReadinessCheck>[] = [
      { id: 'token', ok: true },
      { id: 'permissions', ok: true },
      { id: 'permissions', problem: 'missing' },
      { id: 'webhook', ok: true },
      { id: 'webhook', problem: 'not_verified' },
      { id: 'subscription', ok: true },
      { id: 'subscription', problem: 'missing' },
      { id: 'first_message', ok: true },
      { id: 'first_message', problem: 'no_message' },
      { id: 'human_agent', ok: true },
      { id: 'human_agent', problem: 'off' },
      { id: 'token', problem: 'token_refused' },
      { id: 'subscription', problem: 'token_refused' },
      { id: 'token', problem: 'facebook_unavailable' },
      { id: 'permissions', problem: 'facebook_error' },
    ];
    for (const locale of [en, ru, bn]) {
      for (const outcome of outcomes) {
        const { key } = readinessMessage(check(outcome));
        expect(typeof lookUp(locale, key), key).toBe('string');
      }
      for (const id of [
        'token',
        'permissions',
        'webhook',
        'subscription',
        'first_message',
        'human_agent',
      ]) {
        expect(typeof lookUp(locale, `readiness.checks.${id}.title`), id).toBe('string');
      }
    }
  });

  it('counts the checks still to pass', () => {
    expect(countUnpassed([check({ ok: true }), check({}), check({ id: 'webhook' })])).toBe(2);
  });
});
