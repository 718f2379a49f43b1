import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Config } from '../../config.js';
import { UnauthenticatedError } from '../../errors.js';

const ISSUER = 'omni';
const AUDIENCE = 'omni-panel';

export type TokenClaims = { userId: string; tenantId: string };

/** Session tokens: HS256 JWTs (jose) that carry who the user is and expire. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(private readonly config: Pick<Config, 'jwtSecret' | 'jwtTtlSeconds'>) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  issue(claims: TokenClaims): Promise<string> {
    return new SignJWT({ tid: claims.tenantId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.config.jwtTtlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') {
        throw new UnauthenticatedError('Your session is not valid. Sign in again.');
      }
      return { userId: payload.sub, tenantId: payload.tid };
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
