import { describe, expect, it } from 'vitest';
import { diffFields, maskSecrets, secretsSet } from './audit-recorder.js';

describe('audit changes', () => {
  it('are the fields that differ, a creation from null and a deletion to null', () => {
    expect(
      diffFields({ name: 'A', color: '#1', size: 1 }, { name: 'B', color: '#1', size: 1 }),
    ).toEqual({
      name: { from: 'A', to: 'B' },
    });
    expect(diffFields({}, { name: 'A', department: null })).toEqual({
      name: { from: null, to: 'A' },
    });
    expect(diffFields({ tags: ['x'] }, {})).toEqual({ tags: { from: ['x'], to: null } });
    expect(diffFields({ tags: ['x', 'y'] }, { tags: ['x', 'y'] })).toEqual({});
  });

  it('show a secret only as set, even when a caller passes its value by mistake', () => {
    expect(secretsSet({ accessToken: true, appSecret: false })).toEqual({
      accessToken: { changed: true },
    });
    expect(
      maskSecrets({
        verifyToken: { from: 'old-verify', to: 'new-verify' },
        password: { from: null, to: 'hunter2hunter2' },
        smtp: { from: null, to: { host: 'mail', password: 'p4ss', apiKey: 'k' } },
        name: { from: 'A', to: 'B' },
      }),
    ).toEqual({
      verifyToken: { changed: true },
      password: { changed: true },
      smtp: {
        from: null,
        to: { host: 'mail', password: { changed: true }, apiKey: { changed: true } },
      },
      name: { from: 'A', to: 'B' },
    });
  });
});
