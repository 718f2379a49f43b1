import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { GoneError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { LinkTokens } from '../mail/link-tokens.js';
import { User } from '../operators/user.entity.js';
import type { PasswordHasher } from './password-hasher.js';
import { PasswordReset } from './password-reset.entity.js';
import type { PasswordResetThrottle } from './password-reset-throttle.js';
import type { SessionsService } from './sessions.service.js';

import { resetTokenOf, stillValid } from './password-reset-mail.js';

/**
 * "Forgot password?": a single-use link valid one hour, mailed from the worker. The request
 * answers the same whether the address exists or not (no account enumeration); a reset ends
 * every session of the user.
 */
export class PasswordResetService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: LinkTokens,
    private readonly passwords: PasswordHasher,
    private readonly throttle: PasswordResetThrottle,
    private readonly sessions: Pick<SessionsService, 'endAllOf' | 'disconnectUser'>,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly logger: Logger,
  ) {}

  /** Counted first, like a sign-in; then a link is mailed if the address has an account. */
  async request(email: string, clientAddress: string): Promise<void> {
    await this.throttle.count(email, clientAddress);
    // Emails are unique across tenants: the request names no tenant, so it looks across them.
    const user = await this.em.findOne(
      User,
      { email },
      { filters: { [TENANT_FILTER]: false }, populate: ['tenant'] },
    );
    // The demo accounts' passwords stay as they are (and are public anyway).
    if (!user || user.isDemoAccount()) return;
    scopeToTenant(this.em, user.tenant.id);
    const outboxEntryIds = await this.em.transactional(async (em) => {
      const reset = new PasswordReset(user);
      reset.tokenNonce = LinkTokens.newNonce();
      reset.tokenHash = LinkTokens.hash(resetTokenOf(this.tokens, reset));
      await em.persist(reset).flush();
      return appendToOutbox(sqlIn(em), [
        {
          tenantId: user.tenant.id,
          kind: 'mail-requested',
          payload: { kind: 'password-reset', id: reset.id },
        },
      ]);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }

  /**
   * Sets the new password once: the link is marked used by a conditional update in the same
   * transaction (of two confirms at once, the second is 410), with every other link of the
   * user, and every session of the user ends.
   */
  async confirm(token: string, newPassword: string): Promise<void> {
    const found = await this.em.findOne(
      PasswordReset,
      { tokenHash: LinkTokens.hash(token), ...stillValid() },
      { filters: { [TENANT_FILTER]: false } },
    );
    if (!found) throw resetLinkExpired();
    scopeToTenant(this.em, found.tenant.id);
    const userId = found.user.id;
    const passwordHash = await this.passwords.hash(newPassword);
    await this.em.transactional(async (em) => {
      const used = await em.nativeUpdate(
        PasswordReset,
        { id: found.id, ...stillValid() },
        { usedAt: new Date() },
      );
      if (used === 0) throw resetLinkExpired();
      await em.nativeUpdate(PasswordReset, { user: userId, usedAt: null }, { usedAt: new Date() });
      await em.nativeUpdate(User, { id: userId }, { passwordHash });
      await this.sessions.endAllOf(userId);
    });
    this.sessions.disconnectUser(userId);
    this.logger.info({ userId }, 'password reset through a mailed link');
  }
}

function resetLinkExpired(): GoneError {
  return new GoneError(
    'RESET_LINK_EXPIRED',
    'This password-reset link no longer works (it was used or is older than an hour). Ask for a new one.',
  );
}
