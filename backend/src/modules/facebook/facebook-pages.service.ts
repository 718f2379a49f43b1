import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { findByIdOrFail } from '../../db/find.js';
import { flushWith, sqlTransaction, type Sql } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { AppError, ConflictError, UnprocessableError } from '../../errors.js';
import {
  appendToOutbox,
  conversationsChanged,
  type DispatchCommitted,
} from '../../outbox/outbox.js';
import { diffFields, recordAudit, secretsSet } from '../audit/audit-recorder.js';
import { pageFields } from '../audit/audited-fields.js';
import type { Actor } from '../auth/actor.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { applyDepartmentMenu } from '../department-menu/department-menu-settings.js';
import { Department } from '../departments/department.entity.js';
import type { FileStorage } from '../files/file-storage.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { FacebookPage } from './facebook-page.entity.js';
import { deletePageWithFollowUps } from './facebook-page.repository.js';
import {
  generateVerifyToken,
  toFacebookPageDto,
  type CreateFacebookPageInput,
  type FacebookPageDto,
  type UpdateFacebookPageInput,
} from './facebook-pages.schemas.js';
import {
  subscribedFieldsFor,
  type GraphClient,
  type PageCredentials,
  type PageIdentity,
} from './graph/graph-client.js';
import { GraphApiError } from './graph/graph-errors.js';
import type { WebhookSigningKeys } from './webhook-signing-keys.js';
import type { PageProbe } from '../page-health/page-probe.js';

/** The department menu's options with their departments: the DTO and the audit show them. */
const MENU_POPULATE = ['departmentMenuOptions.department'] as const;

/**
 * The tenant admin's Facebook pages: Webim's form, checked against the Graph API. A change
 * that reaches the page's conversations is committed with its outbox entry: a new reply
 * window sends the open ones to the panels again ('conversations-changed'); a deletion
 * drops them from the panels and frees their operators ('page-deleted', PageFollowUps).
 */
export class FacebookPagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly config: Pick<Config, 'publicUrl'>,
    /** The webhook's cached app secrets, dropped when a page changes. */
    private readonly signingKeys: Pick<WebhookSigningKeys, 'forget'>,
    /** Where the files of the page's conversations are, deleted with the page. */
    private readonly storage: Pick<FileStorage, 'remove'>,
    private readonly dispatchCommitted: DispatchCommitted,
    /** Looks at the token's validity and permissions (page-health), after each change. */
    private readonly health: Pick<PageProbe, 'probe'>,
  ) {}

  async list(_actor: Actor): Promise<FacebookPageDto[]> {
    const pages = await this.em.find(
      FacebookPage,
      {},
      { populate: ['tenant', ...MENU_POPULATE], orderBy: { name: 'asc' } },
    );
    return pages.map((page) => this.present(page));
  }

  async get(_actor: Actor, id: string): Promise<FacebookPageDto> {
    return this.present(await this.findPage(id));
  }

  /**
   * Resolves the page behind the token (refusing a token Facebook refuses), saves it with its
   * secrets sealed, then subscribes it to the app. A failed subscription is a warning on the
   * page's status, not an error: the admin can fix it in the Facebook app.
   */
  async create(actor: Actor, input: CreateFacebookPageInput): Promise<FacebookPageDto> {
    const department = await this.findDepartment(input.departmentId);
    const credentials = { accessToken: input.accessToken, appSecret: input.appSecret };
    const identity = await this.resolveIdentity(credentials);
    await this.assertNotConnectedElsewhere(identity, actor.tenantId);

    const page = new FacebookPage(
      this.em.getReference(Tenant, actor.tenantId),
      input.name,
      identity.id,
      identity.name,
      credentials,
      this.secrets,
      input.verifyToken ?? generateVerifyToken(),
    );
    page.department = department;
    page.humanAgentEnabled = input.humanAgentEnabled;
    page.handoverEnabled = input.handover?.enabled ?? false;
    await this.saveUniquely(page, identity, async (sql) => {
      await recordAudit(sql, actor, {
        action: 'page.created',
        target: { type: 'page', id: page.id, name: page.name },
        changes: {
          ...diffFields({}, pageFields(page)),
          ...secretsSet({ accessToken: true, appSecret: true, verifyToken: true }),
        },
      });
      return [];
    });
    await this.subscribe(page, credentials);
    await this.probe(page);
    return this.present(await this.em.populate(page, ['tenant', ...MENU_POPULATE]));
  }

  /**
   * Asks Facebook now whether the page's token works and has every permission it needs
   * (what the daily probe does), and answers the page with what it found.
   */
  async check(_actor: Actor, id: string): Promise<FacebookPageDto> {
    const page = await this.findPage(id);
    const outcome = await this.health.probe(page.id);
    if (outcome === 'unreachable') {
      throw new AppError(
        'FACEBOOK_UNAVAILABLE',
        'Facebook did not answer in time, so the page could not be checked. Try again in a minute.',
        502,
      );
    }
    await this.em.refresh(page);
    return this.present(page);
  }

  async update(actor: Actor, id: string, input: UpdateFacebookPageInput): Promise<FacebookPageDto> {
    const page = await this.findPage(id);
    const fieldsBefore = pageFields(page);
    if (input.name !== undefined) page.name = input.name;
    if (input.verifyToken !== undefined) page.verifyToken = input.verifyToken;
    const replyWindowChanged =
      input.humanAgentEnabled !== undefined && input.humanAgentEnabled !== page.humanAgentEnabled;
    if (input.humanAgentEnabled !== undefined) page.humanAgentEnabled = input.humanAgentEnabled;
    // The handover fields (messaging_handovers, standby) come and go with the opt-in.
    const handoverChanged =
      input.handover !== undefined && input.handover.enabled !== page.handoverEnabled;
    if (input.handover !== undefined) page.handoverEnabled = input.handover.enabled;
    if (input.departmentId !== undefined)
      page.department = await this.findDepartment(input.departmentId);
    if (input.departmentMenu !== undefined)
      await applyDepartmentMenu(this.em, page, input.departmentMenu);
    if (input.active === true && !page.active) {
      await this.assertNotConnectedElsewhere(
        { id: page.pageId, name: page.pageName },
        page.tenant.id,
        page.id,
      );
    }
    if (input.active !== undefined) page.active = input.active;

    const credentialsChanged = input.accessToken !== undefined || input.appSecret !== undefined;
    const credentials = {
      accessToken: input.accessToken ?? page.openAccessToken(this.secrets),
      appSecret: input.appSecret ?? page.openAppSecret(this.secrets),
    };
    if (credentialsChanged) {
      const identity = await this.resolveIdentity(credentials);
      if (identity.id !== page.pageId) {
        throw new UnprocessableError(
          'FACEBOOK_PAGE_MISMATCH',
          `This token belongs to the page "${identity.name}" (${identity.id}), not to "${page.pageName}" (${page.pageId}). Add that page separately instead.`,
        );
      }
      page.pageName = identity.name;
      page.sealCredentials(this.secrets, credentials);
      page.appId = null; // a new token may be another app's: the probe asks again
      page.tokenValid = true;
      page.lastError = null;
      page.lastErrorAt = null;
    }
    // Operators see at once that they may (or may no longer) answer as a human agent.
    const outboxEntryIds = await this.saveUniquely(
      page,
      { id: page.pageId, name: page.pageName },
      async (sql) => {
        await recordAudit(sql, actor, {
          action: 'page.updated',
          target: { type: 'page', id: page.id, name: page.name },
          changes: {
            ...diffFields(fieldsBefore, pageFields(page)),
            ...secretsSet({
              accessToken: input.accessToken !== undefined,
              appSecret: input.appSecret !== undefined,
              verifyToken: input.verifyToken !== undefined,
            }),
          },
        });
        return replyWindowChanged ? this.appendOpenConversationsChanged(sql, page) : [];
      },
    );
    await this.dispatchCommitted(outboxEntryIds);
    if (credentialsChanged || handoverChanged || (input.active === true && !page.subscribed))
      await this.subscribe(page, credentials);
    if (credentialsChanged || input.active === true) await this.probe(page);
    return this.present(page);
  }

  /**
   * Deletes the page with its conversations, their messages and files (the admin was told),
   * and its webhook deliveries (see deleteWebhookEventsOfPage): nothing a visitor wrote
   * through it stays in the database. Deliveries for a deleted page are acknowledged and not
   * stored from then on.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const page = await this.findPage(id);
    const tenantId = page.tenant.id;
    const { storageKeys, outboxEntryIds } = await sqlTransaction(this.em, async (sql) => {
      await recordAudit(sql, actor, {
        action: 'page.deleted',
        target: { type: 'page', id: page.id, name: page.name },
        changes: diffFields(pageFields(page), {}),
      });
      return deletePageWithFollowUps(sql, { id: page.id, tenantId, pageId: page.pageId });
    });
    this.signingKeys.forget(tenantId);
    await this.dispatchCommitted(outboxEntryIds);
    await this.storage.remove(storageKeys);
  }

  /** A 'conversations-changed' entry for the page's open conversations, in `sql`'s transaction. */
  private async appendOpenConversationsChanged(sql: Sql, page: FacebookPage): Promise<string[]> {
    const open = await new ConversationStore(sql).openOfPage(page.tenant.id, page.id);
    if (open.length === 0) return [];
    return appendToOutbox(sql, [conversationsChanged(page.tenant.id, { conversationIds: open })]);
  }

  private async subscribe(page: FacebookPage, credentials: PageCredentials): Promise<void> {
    try {
      await this.graph.subscribePage(page.pageId, credentials, subscribedFieldsFor(page));
      page.subscribed = true;
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      page.subscribed = false;
      page.recordError(`Facebook did not subscribe the page to the app: ${error.reason}`);
    }
    page.subscriptionCheckedAt = new Date();
    await this.em.flush();
  }

  /**
   * Probes a page just connected or given new credentials: its health (and the banners
   * and mails of an incident) follow at once. Facebook being slow leaves it to the daily probe.
   */
  private async probe(page: FacebookPage): Promise<void> {
    await this.health.probe(page.id);
    await this.em.refresh(page);
  }

  private async resolveIdentity(credentials: PageCredentials): Promise<PageIdentity> {
    try {
      return await this.graph.getPageIdentity(credentials);
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      if (error.isRetryable) {
        throw new AppError(
          'FACEBOOK_UNAVAILABLE',
          'Facebook did not answer in time, so the token could not be checked. Try again in a minute.',
          502,
        );
      }
      throw new UnprocessableError(
        'FACEBOOK_TOKEN_INVALID',
        `Facebook refused this page access token: ${error.facebookMessage ?? error.reason}`,
        {
          facebookCode: error.code,
          facebookSubcode: error.subcode,
          fields: { accessToken: error.reason },
        },
      );
    }
  }

  /**
   * One active connection per Facebook page across all tenants, and one entry per page in a
   * tenant. The unique indexes enforce both under races; this gives the clearer message.
   */
  private async assertNotConnectedElsewhere(
    identity: PageIdentity,
    tenantId: string,
    exceptId?: string,
  ): Promise<void> {
    const others = await this.em.find(
      FacebookPage,
      { pageId: identity.id, ...(exceptId ? { id: { $ne: exceptId } } : {}) },
      { filters: { [TENANT_FILTER]: false } },
    );
    const ownEntry = others.find((other) => other.tenant.id === tenantId);
    if (ownEntry) {
      throw new ConflictError(
        'PAGE_ALREADY_CONNECTED',
        `You have already added the Facebook page "${identity.name}" as "${ownEntry.name}". Edit that one instead.`,
        { pageId: identity.id, existingId: ownEntry.id },
      );
    }
    if (others.some((other) => other.active)) throw this.alreadyConnected(identity);
  }

  /** Saves the page, with the outbox entries `follow` writes in its transaction (their ids). */
  private async saveUniquely(
    page: FacebookPage,
    identity: PageIdentity,
    follow: (sql: Sql) => Promise<string[]> = async () => [],
  ): Promise<string[]> {
    try {
      this.em.persist(page);
      const outboxEntryIds = await flushWith(this.em, follow);
      this.signingKeys.forget(page.tenant.id);
      return outboxEntryIds;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw this.alreadyConnected(identity);
      throw error;
    }
  }

  private alreadyConnected(identity: PageIdentity): ConflictError {
    return new ConflictError(
      'PAGE_ALREADY_CONNECTED',
      `The Facebook page "${identity.name}" is already connected to Omni. Deactivate or delete it there first.`,
      { pageId: identity.id },
    );
  }

  private findPage(id: string): Promise<FacebookPage> {
    return findByIdOrFail(this.em, FacebookPage, id, 'The Facebook page', {
      populate: ['tenant', 'department', ...MENU_POPULATE],
    });
  }

  private async findDepartment(id: string | null): Promise<Department | null> {
    return id === null ? null : findByIdOrFail(this.em, Department, id, 'The department');
  }

  private present(page: FacebookPage): FacebookPageDto {
    return toFacebookPageDto(page, page.tenant.callbackUrl(this.config.publicUrl));
  }
}
