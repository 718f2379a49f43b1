import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../errors.js';
import { TokenService } from './token.service.js';

const secret = 'x'.repeat(40);
const tokens = new TokenService({ jwtSecret: secret, jwtTtlSeconds: 3600 });
const claims = { userId: 'user-1', tenantId: 'tenant-1', sessionId: 'session-1' };
const key = new TextEncoder().encode(secret);

/** A token signed with the right secret, but built by hand. */
const handMade = () =>
  new SignJWT({ tid: 'tenant-1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setJti('session-1')
    .setIssuer('omni')
    .setAudience('omni-panel');

describe('TokenService', () => {
  it('verifies the tokens it issues, with their expiry', async () => {
    const expiresAt = tokens.expiryFromNow();
    await expect(tokens.verify(await tokens.issue(claims, expiresAt))).resolves.toEqual({
      ...claims,
      expiresAt,
    });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
  });

  it('refuses a token signed with another secret', async () => {
    const other = new TokenService({ jwtSecret: 'y'.repeat(40), jwtTtlSeconds: 3600 });
    await expect(
      tokens.verify(await other.issue(claims, other.expiryFromNow())),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('says when a session has expired', async () => {
    const expired = await handMade()
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    await expect(tokens.verify(expired)).rejects.toMatchObject({
      code: 'SESSION_EXPIRED',
      status: 401,
    });
  });

  it('refuses a token without an expiry or a session id, however well signed', async () => {
    await expect(tokens.verify(await handMade().sign(key))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const withoutSession = await new SignJWT({ tid: 'tenant-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer('omni')
      .setAudience('omni-panel')
      .setExpirationTime('1h')
      .sign(key);
    await expect(tokens.verify(withoutSession)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses garbage and unsigned tokens', async () => {
    await expect(tokens.verify('not-a-jwt')).rejects.toBeInstanceOf(UnauthenticatedError);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a","tid":"b"}').toString('base64url')}.`;
    await expect(tokens.verify(unsigned)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
