import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { findByIdOrFail } from '../../db/find.js';
import { sqlIn } from '../../db/sql.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { OperatorChangedPayload } from '../../outbox/outbox-map.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { diffFields, recordAudit, secretsSet, type AuditActor } from '../audit/audit-recorder.js';
import { operatorFields } from '../audit/audited-fields.js';
import { requireUser, type Actor } from '../auth/actor.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { SessionsService } from '../auth/sessions.service.js';
import { Department } from '../departments/department.entity.js';
import type { RoutingService } from '../routing/routing.service.js';
import { Tenant } from '../tenants/tenant.entity.js';
import {
  toUserDto,
  type CreateOperatorInput,
  type UpdateOperatorInput,
  type UserDto,
} from './operators.schemas.js';
import { User, type OperatorStatus } from './user.entity.js';

/**
 * The people of a tenant: admins and operators (both are "operators" of the queue). Every
 * change is committed with an 'operator-changed' outbox entry (OperatorFollowUps): the
 * panels are sent the record, and the queue hears what it means for it.
 */
export class OperatorsService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordHasher,
    private readonly dispatchCommitted: DispatchCommitted,
    /** Going offline returns the operator's chats to the queue. */
    private readonly requeueHeldBy: RoutingService['requeueHeldBy'],
    private readonly sessions: Pick<SessionsService, 'endAllOf' | 'disconnectUser'>,
  ) {}

  async list(_actor: Actor): Promise<UserDto[]> {
    const users = await this.em.find(
      User,
      {},
      { populate: ['departments'], orderBy: { name: 'asc' } },
    );
    return users.map(toUserDto);
  }

  async get(_actor: Actor, id: string): Promise<UserDto> {
    return toUserDto(await this.findUser(id));
  }

  /** `alsoCommit` runs in the creation's transaction (an invitation marked accepted). */
  async create(
    actor: AuditActor,
    input: CreateOperatorInput,
    alsoCommit?: (em: EntityManager) => Promise<void>,
  ): Promise<UserDto> {
    const user = new User(
      this.em.getReference(Tenant, actor.tenantId),
      input.email,
      input.name,
      await this.passwords.hash(input.password),
      input.role,
    );
    user.maxChats = input.maxChats;
    user.departments.set(await this.findDepartments(input.departmentIds));
    const outboxEntryIds = await this.em.transactional(async (em) => {
      await alsoCommit?.(em);
      await this.saveWithUniqueEmail(user);
      await recordAudit(sqlIn(em), actor, {
        action: 'operator.created',
        target: { type: 'operator', id: user.id, name: user.name },
        changes: { ...diffFields({}, operatorFields(user)), ...secretsSet({ password: true }) },
      });
      return this.appendChanged(em, user);
    });
    await this.dispatchCommitted(outboxEntryIds);
    return toUserDto(user);
  }

  /**
   * A new password or role ends the user's sessions (but the acting admin's own, when they
   * edit themself); other departments re-scope their sockets. Both at once, after
   * the commit and the panels' event: the user's REST requests re-read the role and
   * departments anyway.
   */
  async update(actor: Actor, id: string, input: UpdateOperatorInput): Promise<UserDto> {
    let disconnect: { keepSessionId?: string } | null = null;
    return this.em
      .transactional(async (em) => {
        const user = await this.findUser(id);
        if (input.role !== undefined && input.role !== 'admin' && user.role === 'admin') {
          await this.assertAnotherAdminRemains(actor, user);
        }
        const rightsBefore = rightsOf(user);
        const roleBefore = user.role;
        const fieldsBefore = operatorFields(user);
        if (input.email !== undefined) user.email = input.email;
        if (input.name !== undefined) user.name = input.name;
        if (input.role !== undefined) user.role = input.role;
        if (input.maxChats !== undefined) user.maxChats = input.maxChats;
        if (input.password !== undefined) {
          await this.em.populate(user, ['tenant']);
          user.assertPasswordChangeable();
          user.passwordHash = await this.passwords.hash(input.password);
        }
        // A new password or role ends the user's sessions: whoever holds one signs in again
        // under what now holds (a demoted admin's open tabs must not keep admin screens).
        const endsSessions =
          input.password !== undefined || (input.role !== undefined && input.role !== roleBefore);
        if (endsSessions) await this.sessions.endAllOf(user.id, keptSession(actor, user));
        if (input.departmentIds !== undefined) {
          user.departments.set(await this.findDepartments(input.departmentIds));
        }
        // New rights re-scope every socket of the user, the acting admin's own included.
        if (rightsOf(user) !== rightsBefore) disconnect = {};
        else if (endsSessions) disconnect = { keepSessionId: keptSession(actor, user) };
        await this.saveWithUniqueEmail(user);
        await recordAudit(sqlIn(em), actor, {
          action: 'operator.updated',
          target: { type: 'operator', id: user.id, name: user.name },
          changes: {
            ...diffFields(fieldsBefore, operatorFields(user)),
            ...secretsSet({ password: input.password !== undefined }),
          },
        });
        const outboxEntryIds = await this.appendChanged(em, user, {
          // More room or other departments may let waiting chats through.
          wakeDispatcher: input.maxChats !== undefined || input.departmentIds !== undefined,
        });
        return { user, outboxEntryIds };
      })
      .then(async ({ user, outboxEntryIds }) => {
        await this.dispatchCommitted(outboxEntryIds);
        if (disconnect) this.sessions.disconnectUser(user.id, disconnect.keepSessionId);
        return toUserDto(user);
      });
  }

  /** The user's sessions end with the row (foreign key); their sockets are cut at once. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const user = await this.findUser(id);
      if (user.id === actor.userId) {
        throw new ConflictError('CANNOT_DELETE_SELF', 'You cannot delete your own account.');
      }
      if (user.role === 'admin') await this.assertAnotherAdminRemains(actor, user);
      await recordAudit(sqlIn(em), actor, {
        action: 'operator.deleted',
        target: { type: 'operator', id: user.id, name: user.name },
        changes: diffFields(operatorFields(user), {}),
      });
      await this.em.remove(user).flush();
    });
    this.sessions.disconnectUser(id);
  }

  /**
   * Turns off a colleague's two-factor sign-in (a lost phone and lost recovery codes). Their
   * sessions end: the next sign-in asks for the password alone, or for a new setup where
   * admins must have one. One's own goes through /api/me/2fa/disable, with a code.
   */
  async resetTwoFactor(actor: Actor, id: string): Promise<UserDto> {
    const { user, outboxEntryIds } = await this.em.transactional(async (em) => {
      const locked = await this.findUser(id);
      await em.refresh(locked, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (locked.id === actor.userId) {
        throw new ConflictError(
          'TWO_FACTOR_RESET_OWN',
          'Turn your own two-factor sign-in off in your account, with a code from your app.',
        );
      }
      if (!locked.isTwoFactorEnabled()) {
        throw new ConflictError(
          'TWO_FACTOR_NOT_ENABLED',
          `${locked.name} has no two-factor sign-in.`,
        );
      }
      locked.disableTwoFactor();
      await this.sessions.endAllOf(locked.id);
      await recordAudit(sqlIn(em), actor, {
        action: 'operator.two_factor_reset',
        target: { type: 'operator', id: locked.id, name: locked.name },
      });
      return { user: locked, outboxEntryIds: await this.appendChanged(em, locked) };
    });
    await this.dispatchCommitted(outboxEntryIds);
    this.sessions.disconnectUser(user.id);
    return toUserDto(user);
  }

  async setStatus(actor: Actor, status: OperatorStatus): Promise<UserDto> {
    return toUserDto(
      await this.changeStatus(
        actor.tenantId,
        requireUser(actor).userId,
        status,
        'operator_offline',
      ),
    );
  }

  /**
   * Going offline returns the operator's chats to the queue (after the status is committed,
   * so no assignment can slip in between; the routing sweep requeues them if this process
   * dies first); coming online may let waiting chats through.
   */
  async changeStatus(
    tenantId: string,
    userId: string,
    status: OperatorStatus,
    reasonWhenOffline: 'operator_offline' | 'connection_lost',
  ): Promise<User> {
    const { user, outboxEntryIds } = await this.em.transactional(async (em) => {
      scopeToTenant(em, tenantId); // also called by the worker's sweep, outside any request
      const locked = await em.findOneOrFail(
        User,
        { id: userId, tenant: tenantId },
        {
          populate: ['departments'],
          lockMode: LockMode.PESSIMISTIC_WRITE,
          lockTableAliases: ['u0'],
        },
      );
      locked.changeStatus(status);
      return {
        user: locked,
        outboxEntryIds: await this.appendChanged(em, locked, {
          queueChanged: true,
          wakeDispatcher: status === 'online',
        }),
      };
    });
    await this.dispatchCommitted(outboxEntryIds);
    if (status === 'offline') await this.requeueHeldBy(tenantId, userId, reasonWhenOffline);
    return user;
  }

  private findUser(id: string): Promise<User> {
    return findByIdOrFail(this.em, User, id, 'The operator', { populate: ['departments'] });
  }

  /** Every id must be a department of this tenant; other tenants' ids are simply unknown. */
  private async findDepartments(ids: string[]): Promise<Department[]> {
    const uniqueIds = [...new Set(ids)];
    const departments = uniqueIds.every((id) => isUuid(id))
      ? await this.em.find(Department, { id: { $in: uniqueIds } })
      : [];
    if (departments.length !== uniqueIds.length) {
      const found = new Set(departments.map((department) => department.id));
      throw new NotFoundError('A department', {
        departmentIds: uniqueIds.filter((id) => !found.has(id)),
      });
    }
    return departments;
  }

  /**
   * Locks the tenant row first, so two admins demoting or deleting each other at the same
   * moment are serialised and cannot leave the tenant without an admin.
   */
  private async assertAnotherAdminRemains(actor: Actor, leaving: User): Promise<void> {
    await this.em.findOneOrFail(Tenant, actor.tenantId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const otherAdmins = await this.em.count(User, { role: 'admin', id: { $ne: leaving.id } });
    if (otherAdmins === 0) {
      throw new ConflictError(
        'LAST_ADMIN',
        'A business needs at least one admin. Make someone else an admin first.',
      );
    }
  }

  private async saveWithUniqueEmail(user: User): Promise<void> {
    try {
      await this.em.persist(user).flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new ConflictError('EMAIL_TAKEN', `An account with ${user.email} already exists.`, {
          fields: { email: 'This email is already in use.' },
        });
      }
      throw error;
    }
  }

  /** Writes the user's 'operator-changed' entry in `em`'s transaction. */
  private appendChanged(
    em: EntityManager,
    user: User,
    follow: Partial<Omit<OperatorChangedPayload, 'userId'>> = {},
  ): Promise<string[]> {
    return appendToOutbox(sqlIn(em), [
      {
        tenantId: user.tenant.id,
        kind: 'operator-changed',
        payload: {
          userId: user.id,
          queueChanged: follow.queueChanged ?? false,
          wakeDispatcher: follow.wakeDispatcher ?? false,
        },
      },
    ]);
  }
}

/** What a user's sockets are scoped by: their role and their departments. */
function rightsOf(user: User): string {
  const departmentIds = user.departments.getItems().map((department) => department.id);
  return JSON.stringify([user.role, departmentIds.sort()]);
}

/** An admin changing their own password or rights keeps the session they are using. */
function keptSession(actor: Actor, user: User): string | undefined {
  return actor.userId === user.id ? actor.sessionId : undefined;
}
