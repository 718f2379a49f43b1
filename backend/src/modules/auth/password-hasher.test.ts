import { describe, expect, it } from 'vitest';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const passwords = new PasswordHasher();

  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await passwords.hash('open sesame');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain('open sesame');
    await expect(passwords.verify(hash, 'open sesame')).resolves.toBe(true);
    await expect(passwords.verify(hash, 'open sesame!')).resolves.toBe(false);
  });

  it('never accepts a missing or malformed hash', async () => {
    await expect(passwords.verify(undefined, 'anything')).resolves.toBe(false);
    await expect(passwords.verify('not-a-hash', 'anything')).resolves.toBe(false);
  });
});
