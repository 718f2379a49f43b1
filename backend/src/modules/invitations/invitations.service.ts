import type { EntityManager } from '@mikro-orm/postgresql';
import { validate as isUuid } from 'uuid';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlIn } from '../../db/sql.js';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import { ConflictError, GoneError, NotFoundError } from '../../errors.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import { invitationFields } from '../audit/audited-fields.js';
import type { Actor } from '../auth/actor.js';
import type { Session } from '../auth/auth.schemas.js';
import { Department } from '../departments/department.entity.js';
import { LinkTokens } from '../mail/link-tokens.js';
import type { OperatorsService } from '../operators/operators.service.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { INVITATION_LIFETIME_MS, Invitation } from './invitation.entity.js';
import {
  toInvitationDto,
  type AcceptInvitationInput,
  type CreateInvitationInput,
  type InvitationDto,
  type InvitationPreview,
} from './invitations.schemas.js';

import { INVITATION_TOKEN_PURPOSE as TOKEN_PURPOSE } from './invitation-mail.js';

/**
 * Admins invite people by e-mail; the invitee sets a password through the mailed link and
 * becomes a user with the role, departments and capacity of the invitation. The mail goes out
 * from the worker ('mail-requested' entry, committed with the invitation).
 */
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: LinkTokens,
    private readonly publicUrl: string,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly operators: Pick<OperatorsService, 'create'>,
    private readonly openSession: (user: User) => Promise<Session>,
  ) {}

  /** The invitations still waiting for their invitee (expired ones too: they can be resent). */
  async list(_actor: Actor): Promise<InvitationDto[]> {
    const invitations = await this.em.find(
      Invitation,
      { acceptedAt: null, revokedAt: null },
      { orderBy: { createdAt: 'desc' } },
    );
    return invitations.map(toInvitationDto);
  }

  async create(actor: Actor, input: CreateInvitationInput): Promise<InvitationDto> {
    await this.assertEmailFree(input.email);
    await this.findDepartments(input.departmentIds);
    const invitation = new Invitation(
      this.em.getReference(Tenant, actor.tenantId),
      input.email,
      input.name,
      input.role,
      actor.userId ? this.em.getReference(User, actor.userId) : null,
    );
    invitation.departmentIds = [...new Set(input.departmentIds)];
    invitation.maxChats = input.maxChats;
    const outboxEntryIds = await this.em.transactional(async (em) => {
      // An earlier invitation of the same address stops working: only the newest link counts.
      await em.nativeUpdate(
        Invitation,
        { email: input.email, acceptedAt: null, revokedAt: null },
        { revokedAt: new Date() },
      );
      this.issueLink(invitation);
      await em.persist(invitation).flush();
      await recordAudit(sqlIn(em), actor, {
        action: 'invitation.created',
        target: { type: 'invitation', id: invitation.id, name: invitation.email },
        changes: diffFields({}, invitationFields(invitation)),
      });
      return this.requestMail(em, invitation);
    });
    await this.dispatchCommitted(outboxEntryIds);
    return toInvitationDto(invitation);
  }

  /** A new link (the old one stops working) valid 7 days from now, mailed again. */
  async resend(actor: Actor, id: string): Promise<InvitationDto> {
    const { invitation, outboxEntryIds } = await this.em.transactional(async (em) => {
      const found = await this.findPending(id);
      this.issueLink(found);
      await em.flush();
      await recordAudit(sqlIn(em), actor, {
        action: 'invitation.resent',
        target: { type: 'invitation', id: found.id, name: found.email },
      });
      return { invitation: found, outboxEntryIds: await this.requestMail(em, found) };
    });
    await this.dispatchCommitted(outboxEntryIds);
    return toInvitationDto(invitation);
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    const invitation = await this.findPending(id);
    invitation.revokedAt = new Date();
    await flushWith(this.em, (sql) =>
      recordAudit(sql, actor, {
        action: 'invitation.revoked',
        target: { type: 'invitation', id: invitation.id, name: invitation.email },
      }),
    );
  }

  /** What the accept page shows; any link that no longer works is 410. */
  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.findByToken(token);
    await this.em.populate(invitation, ['tenant']);
    return { tenantName: invitation.tenant.name, email: invitation.email, name: invitation.name };
  }

  /**
   * Creates the user and marks the invitation accepted in one transaction: of two accepts at
   * once, the second finds it accepted (the conditional update changes nothing) and is 410.
   */
  async accept(token: string, input: AcceptInvitationInput): Promise<Session> {
    const invitation = await this.findByToken(token);
    const departments = await this.em.find(Department, { id: { $in: invitation.departmentIds } });
    const created = await this.operators.create(
      { tenantId: invitation.tenant.id },
      {
        email: invitation.email,
        name: input.name ?? invitation.name,
        password: input.password,
        role: invitation.role as CreateInvitationInput['role'],
        departmentIds: departments.map(({ id }) => id),
        maxChats: invitation.maxChats,
      },
      async (em) => {
        const accepted = await em.nativeUpdate(
          Invitation,
          { id: invitation.id, ...stillValid() },
          { acceptedAt: new Date() },
        );
        if (accepted === 0) throw invitationExpired();
      },
    );
    const user = await this.em.findOneOrFail(User, created.id);
    return this.openSession(user);
  }

  private issueLink(invitation: Invitation): void {
    invitation.tokenNonce = LinkTokens.newNonce();
    invitation.tokenHash = LinkTokens.hash(
      this.tokens.tokenFor(TOKEN_PURPOSE, invitation.id, invitation.tokenNonce),
    );
    invitation.expiresAt = new Date(Date.now() + INVITATION_LIFETIME_MS);
  }

  private requestMail(em: EntityManager, invitation: Invitation): Promise<string[]> {
    return appendToOutbox(sqlIn(em), [
      {
        tenantId: invitation.tenant.id,
        kind: 'mail-requested',
        payload: { kind: 'invitation', id: invitation.id },
      },
    ]);
  }

  /**
   * The invitation a link names, across tenants on purpose (the invitee has no session):
   * the token's hash is unique. Then the tenant filter is the invitation's tenant.
   */
  private async findByToken(token: string): Promise<Invitation> {
    const invitation = await this.em.findOne(
      Invitation,
      { tokenHash: LinkTokens.hash(token), ...stillValid() },
      { filters: { [TENANT_FILTER]: false } },
    );
    if (!invitation) throw invitationExpired();
    scopeToTenant(this.em, invitation.tenant.id);
    return invitation;
  }

  private async findPending(id: string): Promise<Invitation> {
    const invitation = await findByIdOrFail(this.em, Invitation, id, 'The invitation');
    if (!invitation.isPending()) throw new NotFoundError('The invitation');
    return invitation;
  }

  /** Emails are unique across tenants (they sign in without naming one). */
  private async assertEmailFree(email: string): Promise<void> {
    const taken = await this.em.count(User, { email }, { filters: { [TENANT_FILTER]: false } });
    if (taken > 0) {
      throw new ConflictError('EMAIL_TAKEN', `An account with ${email} already exists.`, {
        fields: { email: 'This email is already in use.' },
      });
    }
  }

  /** Every id must be a department of this tenant; other tenants' ids are simply unknown. */
  private async findDepartments(ids: string[]): Promise<void> {
    const uniqueIds = [...new Set(ids)];
    const found = uniqueIds.every((id) => isUuid(id))
      ? await this.em.find(Department, { id: { $in: uniqueIds } })
      : [];
    if (found.length !== uniqueIds.length) {
      const known = new Set(found.map((department) => department.id));
      throw new NotFoundError('A department', {
        departmentIds: uniqueIds.filter((id) => !known.has(id)),
      });
    }
  }
}

function stillValid() {
  return { acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } };
}

function invitationExpired(): GoneError {
  return new GoneError(
    'INVITATION_EXPIRED',
    'This invitation link is no longer valid. Ask your admin to send a new one.',
  );
}
