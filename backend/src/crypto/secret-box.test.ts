import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, secretHint, UnreadableSecretError } from './secret-box.js';
import { sealAsV1 } from '../testing/secret-box-fixtures.js';

/** The same value with its authentication tag cut to `bytes` (GCM checks only what it gets). */
function withTagCut(sealed: string, bytes: number): string {
  const parts = sealed.split('.');
  const tagIndex = parts.length - 2;
  parts[tagIndex] = Buffer.from(parts[tagIndex]!, 'base64url')
    .subarray(0, bytes)
    .toString('base64url');
  return parts.join('.');
}

const token = {
  purpose: 'facebook_page.access_token',
  rowId: '0190a1b2-0000-7000-8000-000000000001',
};

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('round-trips a secret as v2 with a key id, and never stores it readable', () => {
    const secret = 'EAAG-page-token-é-✓';
    const sealed = box.seal(secret, token);
    expect(sealed).not.toContain('page-token');
    expect(sealed).toMatch(/^v2\.[\w-]{8}\.[\w-]+\.[\w-]{22}\.[\w-]+$/);
    expect(box.open(sealed, token)).toBe(secret);
    expect(box.isCurrent(sealed)).toBe(true);
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', token)).not.toBe(box.seal('same', token));
  });

  it('refuses a tampered value, another key and text it did not seal', () => {
    const parts = box.seal('secret value', token).split('.');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[4] = flipped.toString('base64url');
    expect(() => box.open(parts.join('.'), token)).toThrow(UnreadableSecretError);
    expect(() => new SecretBox(randomBytes(32)).open(box.seal('x', token), token)).toThrow(
      UnreadableSecretError,
    );
    expect(() => box.open('plain text', token)).toThrow('Not a value sealed by SecretBox');
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte key');
  });

  it('refuses a truncated authentication tag (12 bytes), in both formats', () => {
    expect(() => box.open(withTagCut(box.seal('secret', token), 12), token)).toThrow(
      UnreadableSecretError,
    );
    // GCM itself accepts a prefix of the right tag: only the pinned length refuses it.
    expect(() => box.open(withTagCut(sealAsV1(key, 'secret'), 12), token)).toThrow('not 16 bytes');
    expect(() => box.open(withTagCut(sealAsV1(key, 'secret'), 4), token)).toThrow('not 16 bytes');
  });

  it('binds a value to its row and purpose: moved elsewhere, it does not open', () => {
    const sealed = box.seal('secret', token);
    expect(() =>
      box.open(sealed, { ...token, rowId: '0190a1b2-0000-7000-8000-000000000002' }),
    ).toThrow(UnreadableSecretError);
    expect(() => box.open(sealed, { ...token, purpose: 'facebook_page.app_secret' })).toThrow(
      UnreadableSecretError,
    );
  });

  it('still reads v1 values (no additional data), which are not current', () => {
    const sealed = sealAsV1(key, 'old token');
    expect(box.open(sealed, token)).toBe('old token');
    expect(box.isCurrent(sealed)).toBe(false);
  });

  it('reads values of the previous key during a rotation, and seals with the current one', () => {
    const newKey = randomBytes(32);
    const rotated = new SecretBox(newKey, key);
    const oldV2 = box.seal('v2 secret', token);
    const oldV1 = sealAsV1(key, 'v1 secret');
    expect(rotated.open(oldV2, token)).toBe('v2 secret');
    expect(rotated.open(oldV1, token)).toBe('v1 secret');
    expect(rotated.isCurrent(oldV2)).toBe(false);

    const resealed = rotated.seal(rotated.open(oldV2, token), token);
    expect(rotated.isCurrent(resealed)).toBe(true);
    const withoutPrevious = new SecretBox(newKey);
    expect(withoutPrevious.open(resealed, token)).toBe('v2 secret');
    expect(() => withoutPrevious.open(oldV2, token)).toThrow('neither ENCRYPTION_KEY');
    expect(() => withoutPrevious.open(oldV1, token)).toThrow(UnreadableSecretError);
  });

  it('shows only the last four characters as a hint', () => {
    expect(secretHint('abcdef123456')).toBe('3456');
  });
});
