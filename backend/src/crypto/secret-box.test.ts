import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, secretHint } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret and never stores it readable', () => {
    const token = 'EAAG-page-token-é-✓';
    const sealed = box.encrypt(token);
    expect(sealed).not.toContain('page-token');
    expect(sealed).toMatch(/^v1\./);
    expect(box.decrypt(sealed)).toBe(token);
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.encrypt('secret value');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    parts[3] = flipped.toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).decrypt(sealed)).toThrow();
    expect(() => box.decrypt('plain text')).toThrow('Not a value sealed by SecretBox');
  });

  it('shows only the last four characters as a hint', () => {
    expect(secretHint('abcdef123456')).toBe('3456');
  });
});
