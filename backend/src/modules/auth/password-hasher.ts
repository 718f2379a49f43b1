import argon2, { type HashOptions } from 'argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): memory-hard, yet
 * quick enough (~20 ms) that login stays snappy on a 2-core machine.
 */
const HASH_OPTIONS: HashOptions = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export class PasswordHasher {
  /** Verified against when an email is unknown, so both paths take the same time. */
  private readonly decoyHash = argon2.hash('decoy password for unknown emails', HASH_OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, HASH_OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    try {
      const isMatch = await argon2.verify(hash ?? (await this.decoyHash), password);
      return hash !== undefined && isMatch;
    } catch {
      return false; // a malformed stored hash never signs anyone in
    }
  }
}
