import { describe, expect, it } from 'vitest';
import {
  generateRecoveryCodes,
  generateTotpSecret,
  matchTotpStep,
  recoveryCodeDigest,
  totpCodeAt,
} from './totp.js';

// RFC 6238 appendix B's SHA-1 key ("12345678901234567890"), in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it("gives RFC 6238's SHA-1 test values (their last 6 digits)", () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(RFC_SECRET, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCodeAt(RFC_SECRET, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the code of one step either side of now, naming its step, and nothing further', () => {
    const at = new Date(1_111_111_109_000); // step 37037036
    const step = 37_037_036;
    expect(matchTotpStep(RFC_SECRET, totpCodeAt(RFC_SECRET, at), at)).toBe(step);
    expect(
      matchTotpStep(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(at.getTime() - 30_000)), at),
    ).toBe(step - 1);
    expect(
      matchTotpStep(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(at.getTime() + 30_000)), at),
    ).toBe(step + 1);
    expect(
      matchTotpStep(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(at.getTime() + 60_000)), at),
    ).toBeNull();
    expect(matchTotpStep(RFC_SECRET, 'abcdef', at)).toBeNull();
  });

  it('makes 160-bit secrets, each new', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes whose digests ignore case, spaces and dashes and depend on the user', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const code = codes[0]!;
    expect(recoveryCodeDigest('user-a', code.toUpperCase().replace('-', ' '))).toBe(
      recoveryCodeDigest('user-a', code),
    );
    expect(recoveryCodeDigest('user-b', code)).not.toBe(recoveryCodeDigest('user-a', code));
  });
});
