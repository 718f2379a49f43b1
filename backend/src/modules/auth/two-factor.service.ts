import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { ConflictError } from '../../errors.js';
import { User } from '../operators/user.entity.js';
import { assertUser, type Actor, type UserActor } from './actor.js';
import type { LoginThrottle } from './login-throttle.js';
import type { SessionsService } from './sessions.service.js';
import { InvalidTwoFactorCodeError } from './two-factor.errors.js';
import type { TwoFactorRecoveryCodes, TwoFactorSetup } from './two-factor.schemas.js';
import { generateRecoveryCodes, generateTotpSecret, totpUrl } from './totp.js';

/**
 * Two-factor sign-in with TOTP (RFC 6238) and single-use recovery codes. The secret is sealed
 * at rest and shown only by `setUp`, before it is confirmed; recovery codes only by `enable`.
 * Every code is checked with the user's row locked, so a code is spent once however many
 * requests race with it. Guessing codes costs what guessing passwords costs: every check
 * counts against the sign-in limits (LoginThrottle), from a stolen session as at sign-in.
 */
export class TwoFactorService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * A new pending secret (each call replaces the previous one): it takes effect only once
   * `enable` receives a code made with it, so an abandoned setup changes nothing.
   */
  async setUp(actor: Actor): Promise<TwoFactorSetup> {
    assertUser(actor);
    const user = await this.em.findOneOrFail(User, actor.userId, { populate: ['tenant'] });
    user.assertTwoFactorChangeable();
    if (user.isTwoFactorEnabled()) throw alreadyEnabled();
    const secret = generateTotpSecret();
    user.startTwoFactorSetup(this.secrets, secret);
    await this.em.flush();
    return { secret, otpauthUrl: totpUrl(secret, user.email) };
  }

  /**
   * Confirms the pending secret with its current code. Every other session of the user ends
   * (one opened before may belong to whoever made the change necessary); the caller's goes on.
   */
  async enable(actor: Actor, code: string, clientAddress: string): Promise<TwoFactorRecoveryCodes> {
    assertUser(actor);
    const recoveryCodes = generateRecoveryCodes();
    await this.changeLocked(actor, clientAddress, async (user) => {
      if (user.isTwoFactorEnabled()) throw alreadyEnabled();
      if (user.twoFactorPendingSecretSealed === null) {
        throw new ConflictError(
          'TWO_FACTOR_SETUP_NOT_STARTED',
          'Start the setup first: scan the QR code, then confirm a code.',
        );
      }
      return user.enableTwoFactor(this.secrets, code, recoveryCodes, this.clock());
    });
    return { recoveryCodes };
  }

  /** Turns two-factor off with a current code or a recovery code; other sessions end. */
  async disable(actor: Actor, code: string, clientAddress: string): Promise<void> {
    assertUser(actor);
    await this.changeLocked(actor, clientAddress, (user) => {
      if (!user.isTwoFactorEnabled()) {
        throw new ConflictError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is off.');
      }
      if (!user.spendTwoFactorCode(this.secrets, code, this.clock())) return false;
      user.disableTwoFactor();
      return true;
    });
  }

  /**
   * The second step of a sign-in whose password was right (the caller counted the attempt):
   * whether `code` is a fresh TOTP code or an unused recovery code of the user, spending it.
   */
  async spendAtSignIn(userId: string, code: string): Promise<boolean> {
    return this.em.transactional(async () => {
      const user = await this.em.findOneOrFail(User, userId, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        refresh: true,
        filters: { [TENANT_FILTER]: false }, // sign-in has no tenant in scope yet
      });
      const isSpent = user.spendTwoFactorCode(this.secrets, code, this.clock());
      await this.em.flush();
      return isSpent;
    });
  }

  /**
   * Runs `change` on the caller's locked row after counting the attempt; `change` answers
   * whether the code was right. A right one keeps the caller's session and ends the others.
   */
  private async changeLocked(
    actor: UserActor,
    clientAddress: string,
    change: (user: User) => boolean | Promise<boolean>,
  ): Promise<void> {
    await this.em.transactional(async () => {
      const user = await this.em.findOneOrFail(User, actor.userId, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        refresh: true,
        populate: ['tenant'],
      });
      user.assertTwoFactorChangeable();
      const attempt = await this.throttle.begin(user.email, clientAddress, {
        isDemoAccount: false,
      });
      if (!(await change(user))) throw new InvalidTwoFactorCodeError(400);
      await attempt.succeeded();
      await this.sessions.endAllOf(user.id, actor.sessionId);
    });
    this.sessions.disconnectUser(actor.userId, actor.sessionId);
  }
}

function alreadyEnabled(): ConflictError {
  return new ConflictError(
    'TWO_FACTOR_ALREADY_ENABLED',
    'Two-factor authentication is already on. Turn it off first to set up another device.',
  );
}
