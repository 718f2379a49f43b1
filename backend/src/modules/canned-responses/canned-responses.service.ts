import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlIn, type Sql } from '../../db/sql.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { AuditAction, AuditChanges } from '../audit/audit-entry.entity.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import { cannedResponseFields } from '../audit/audited-fields.js';
import { assertUser, type Actor, type UserActor } from '../auth/actor.js';
import { Department } from '../departments/department.entity.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { CannedResponsesRepository } from './canned-responses.repository.js';
import {
  CannedResponse,
  type CannedResponseOwnership,
  type CannedResponseScope,
} from './canned-response.entity.js';
import {
  toCannedResponseDto,
  type CannedResponseDto,
  type CreateCannedResponseInput,
  type ListCannedResponsesQuery,
  type UpdateCannedResponseInput,
} from './canned-responses.schemas.js';

/**
 * Who may create, change and delete the tenant's and departments' canned responses (personal
 * ones belong to their owner alone): admins and supervisors.
 */
export function mayManageSharedResponses(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'supervisor';
}

/** 409 SHORTCUT_TAKEN: someone who would see this response already sees that shortcut. */
export class ShortcutTakenError extends ConflictError {
  constructor(shortcut: string, takenBy: CannedResponseScope | 'colleague') {
    const by = {
      tenant: 'a response of the whole team',
      department: 'a department response',
      personal: 'one of your personal responses',
      colleague: "a colleague's personal response",
    }[takenBy];
    super('SHORTCUT_TAKEN', `The shortcut /${shortcut} is already used by ${by}.`, {
      fields: { shortcut: `/${shortcut} is already used by ${by}.` },
      takenBy,
    });
  }
}

/**
 * Canned responses: tenant-wide, per department or personal. A shortcut is unique within
 * what one user sees: shared (tenant and department) shortcuts form one namespace per tenant
 * (a unique index), personal ones are unique per owner (another) and may not clash with the
 * shared ones their owner sees — checked under a per-tenant lock, as no index spans both.
 * Joining a department later may still pair a personal shortcut with a department one; the
 * list then offers both and the panel shows whose each is.
 */
export class CannedResponsesService {
  constructor(private readonly em: EntityManager) {}

  /** What the caller may use in the composer, or (manageable) what they may change. */
  async list(actor: Actor, query: ListCannedResponsesQuery = {}): Promise<CannedResponseDto[]> {
    assertUser(actor);
    const departmentIds = await this.departmentIdsOf(actor);
    const own = { scope: 'personal', owner: actor.userId } as const;
    const where =
      query.manageable === 'true'
        ? mayManageSharedResponses(actor)
          ? { $or: [{ scope: { $ne: 'personal' as const } }, own] }
          : own
        : {
            $or: [
              { scope: 'tenant' as const },
              { scope: 'department' as const, department: { $in: departmentIds } },
              own,
            ],
          };
    const responses = await this.em.find(CannedResponse, where, {
      orderBy: { shortcut: 'asc', id: 'asc' },
    });
    return responses.map((response) => toCannedResponseDto(response, mayManage(actor, response)));
  }

  async create(actor: Actor, input: CreateCannedResponseInput): Promise<CannedResponseDto> {
    assertUser(actor);
    const ownership = await this.ownershipFor(actor, input);
    const response = new CannedResponse(
      this.em.getReference(Tenant, actor.tenantId),
      ownership,
      input.shortcut,
      input.title ?? null,
      input.text,
    );
    await this.saveWithUniqueShortcut(actor, response, (sql) =>
      recordSharedChange(
        sql,
        actor,
        response,
        'canned_response.created',
        diffFields({}, cannedResponseFields(response)),
      ),
    );
    return toCannedResponseDto(response, true);
  }

  async update(
    actor: Actor,
    id: string,
    input: UpdateCannedResponseInput,
  ): Promise<CannedResponseDto> {
    assertUser(actor);
    const response = await this.findManageable(actor, id);
    const fieldsBefore = cannedResponseFields(response);
    if (input.shortcut !== undefined) response.shortcut = input.shortcut;
    if (input.title !== undefined) response.title = input.title;
    if (input.text !== undefined) response.text = input.text;
    await this.saveWithUniqueShortcut(actor, response, (sql) =>
      recordSharedChange(
        sql,
        actor,
        response,
        'canned_response.updated',
        diffFields(fieldsBefore, cannedResponseFields(response)),
      ),
    );
    return toCannedResponseDto(response, true);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    assertUser(actor);
    const response = await this.findManageable(actor, id);
    await flushWith(this.em.remove(response), (sql) =>
      recordSharedChange(
        sql,
        actor,
        response,
        'canned_response.deleted',
        diffFields(cannedResponseFields(response), {}),
      ),
    );
  }

  /** 404 when the caller could not see it at all, 403 when they see it but may not change it. */
  private async findManageable(actor: UserActor, id: string): Promise<CannedResponse> {
    const response = await findByIdOrFail(this.em, CannedResponse, id, 'The canned response');
    if (mayManage(actor, response)) return response;
    const isVisible =
      response.scope === 'tenant' ||
      (response.scope === 'department' &&
        (await this.departmentIdsOf(actor)).includes(response.department!.id));
    if (!isVisible) throw new NotFoundError('The canned response');
    throw new ForbiddenError(
      response.scope === 'personal'
        ? 'Only its owner can change a personal response.'
        : 'Only admins can change responses shared with the team.',
    );
  }

  private async ownershipFor(
    actor: UserActor,
    input: CreateCannedResponseInput,
  ): Promise<CannedResponseOwnership> {
    if (input.scope === 'personal') {
      return { scope: 'personal', owner: this.em.getReference(User, actor.userId) };
    }
    if (!mayManageSharedResponses(actor)) {
      throw new ForbiddenError('Only admins can add responses shared with the team.');
    }
    if (input.scope === 'tenant') return { scope: 'tenant' };
    const department = await this.em.findOne(Department, { id: input.departmentId! });
    if (!department) throw new ValidationError({ departmentId: 'No such department.' });
    return { scope: 'department', department };
  }

  /**
   * Checks the shortcut against everything anyone who would see `response` sees, and saves,
   * in one transaction that holds the tenant's canned-response lock (writes are rare).
   */
  private async saveWithUniqueShortcut(
    actor: UserActor,
    response: CannedResponse,
    alsoCommit: (sql: Sql) => Promise<void>,
  ): Promise<void> {
    try {
      await this.em.transactional(async (em) => {
        const repository = new CannedResponsesRepository(sqlIn(em));
        await repository.lockShortcuts(response.tenant.id);
        const takenBy = await repository.findShortcutClash(response, actor.userId);
        if (takenBy) throw new ShortcutTakenError(response.shortcut, takenBy);
        await alsoCommit(sqlIn(em));
        em.persist(response);
      });
    } catch (error) {
      // The indexes back the check up (and name the clash when the check could not).
      if (error instanceof UniqueConstraintViolationException) {
        throw new ShortcutTakenError(response.shortcut, response.scope);
      }
      throw error;
    }
  }

  private departmentIdsOf(actor: UserActor): Promise<string[]> {
    return new CannedResponsesRepository(sqlIn(this.em)).departmentIdsOf(actor);
  }
}

/** Changes to shared (tenant and department) responses are audited; personal ones are not. */
function recordSharedChange(
  sql: Sql,
  actor: Actor,
  response: CannedResponse,
  action: AuditAction,
  changes: AuditChanges,
): Promise<void> {
  if (response.scope === 'personal') return Promise.resolve();
  const target = { type: 'canned_response' as const, id: response.id, name: response.shortcut };
  return recordAudit(sql, actor, { action, target, changes });
}

function mayManage(actor: Actor, response: CannedResponse): boolean {
  return response.scope === 'personal'
    ? response.owner?.id === actor.userId
    : mayManageSharedResponses(actor);
}
