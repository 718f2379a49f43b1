import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Config } from '../../config.js';
import { UnauthenticatedError } from '../../errors.js';

const ISSUER = 'omni';
const AUDIENCE = 'omni-panel';

/** What a token says: who, in which tenant, and which sign-in (`jti`, a `user_session` row). */
export type TokenClaims = { userId: string; tenantId: string; sessionId: string };

export type VerifiedToken = TokenClaims & { expiresAt: Date };

/**
 * Session tokens: HS256 JWTs (jose) that name the user and their session and always expire.
 * A valid signature is not enough: AuthService also requires the session row to exist.
 */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(private readonly config: Pick<Config, 'jwtSecret' | 'jwtTtlSeconds'>) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  /** When a token issued now expires (its session row expires with it). */
  expiryFromNow(now = Date.now()): Date {
    return new Date(Math.floor(now / 1000) * 1000 + this.config.jwtTtlSeconds * 1000);
  }

  issue(claims: TokenClaims, expiresAt: Date): Promise<string> {
    return new SignJWT({ tid: claims.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setJti(claims.sessionId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        // Without exp a leaked token would be good forever; jose only checks exp when present.
        requiredClaims: ['exp', 'sub', 'jti'],
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.tid !== 'string' ||
        typeof payload.jti !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        throw new UnauthenticatedError('Your session is not valid. Sign in again.');
      }
      return {
        userId: payload.sub,
        tenantId: payload.tid,
        sessionId: payload.jti,
        expiresAt: new Date(payload.exp * 1000),
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new UnauthenticatedError(
          'Your session has expired. Sign in again.',
          'SESSION_EXPIRED',
        );
      }
      if (error instanceof UnauthenticatedError) throw error;
      throw new UnauthenticatedError('Your session is not valid. Sign in again.');
    }
  }
}
