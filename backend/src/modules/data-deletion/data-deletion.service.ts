import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import { TENANT_FILTER, scopeToTenant } from '../../db/tenant-filter.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { WebhookSigningKeys } from '../facebook/webhook-signing-keys.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { DataDeletionRequest } from './data-deletion-request.entity.js';
import { verifySignedRequest } from './signed-request.js';

/** What the public instructions page of a tenant shows. */
export type DeletionInstructions = {
  businessName: string;
  /** The tenant's active pages, as Facebook names them: where a visitor writes. */
  pageNames: string[];
  privacyContact: string | null;
};

/** What a request's status page shows. */
export type DeletionRequestStatus = {
  businessName: string;
  confirmationCode: string;
  receivedAt: Date;
  privacyContact: string | null;
};

/** Facebook's answer format for the data deletion callback. */
export type DeletionCallbackAnswer = { url: string; confirmation_code: string };

/**
 * The public side of data deletion, which a live Meta app must offer: the page telling a
 * visitor how to have their data deleted, and Facebook's data deletion callback. The
 * callback names the person by an app-scoped id (Facebook Login's); Omni knows Messenger
 * visitors only by page-scoped ids and keeps no app-scoped one, so it has nothing to match
 * and delete: it records the request and answers with a status page that says so. Erasing
 * a visitor is an admin's act (ContactsService.erase).
 */
export class DataDeletionService {
  constructor(
    private readonly em: EntityManager,
    /** The tenant's page app secrets, as the webhook verifies with them. */
    private readonly signingKeys: Pick<WebhookSigningKeys, 'lookup' | 'reloadAfterMiss'>,
    private readonly config: Pick<Config, 'publicUrl'>,
  ) {}

  async instructions(tenantKey: string): Promise<DeletionInstructions> {
    const tenant = await this.findTenant(tenantKey);
    const em = this.em.fork();
    scopeToTenant(em, tenant.id);
    const pages = await em.find(
      FacebookPage,
      { active: true },
      { fields: ['pageName'], orderBy: { pageName: 'asc' } },
    );
    return {
      businessName: tenant.name,
      pageNames: pages.map((page) => page.pageName),
      privacyContact: tenant.privacyContact,
    };
  }

  /**
   * Facebook's data deletion request for the tenant: verified with the app secret of any of
   * its pages (400 SIGNED_REQUEST_INVALID otherwise), recorded under a random confirmation
   * code, and answered with the status page's address.
   */
  async receiveRequest(
    tenantKey: string,
    signedRequest: string | undefined,
  ): Promise<DeletionCallbackAnswer> {
    if (!signedRequest) {
      throw new BadRequestError(
        'SIGNED_REQUEST_MISSING',
        'The request carries no signed_request field.',
      );
    }
    let keys = await this.signingKeys.lookup(tenantKey);
    if (!keys) throw new NotFoundError('The workspace');
    let payload = verifySignedRequest(signedRequest, keys.appSecrets.values());
    if (!payload) {
      keys = await this.signingKeys.reloadAfterMiss(keys, tenantKey);
      payload = verifySignedRequest(signedRequest, keys.appSecrets.values());
    }
    if (!payload) {
      throw new BadRequestError(
        'SIGNED_REQUEST_INVALID',
        "The signed_request is malformed or not signed with the app secret of one of this workspace's pages.",
      );
    }
    const em = this.em.fork();
    const tenant = em.getReference(Tenant, keys.tenantId);
    // Alphanumeric, as Facebook asks; 96 random bits: the code is the status page's key.
    const request = new DataDeletionRequest(tenant, randomBytes(12).toString('hex'));
    await em.persist(request).flush();
    return {
      url: this.statusUrl(request.confirmationCode),
      confirmation_code: request.confirmationCode,
    };
  }

  async status(confirmationCode: string): Promise<DeletionRequestStatus> {
    const request = await this.em
      .fork()
      .findOne(
        DataDeletionRequest,
        { confirmationCode },
        { populate: ['tenant'], filters: { [TENANT_FILTER]: false } },
      );
    if (!request) throw new NotFoundError('The data deletion request');
    return {
      businessName: request.tenant.name,
      confirmationCode: request.confirmationCode,
      receivedAt: request.createdAt,
      privacyContact: request.tenant.privacyContact,
    };
  }

  statusUrl(confirmationCode: string): string {
    return `${this.config.publicUrl}/data-deletion/status/${confirmationCode}`;
  }

  private async findTenant(tenantKey: string): Promise<Tenant> {
    const tenant = await this.em.fork().findOne(Tenant, { key: tenantKey });
    if (!tenant) throw new NotFoundError('The workspace');
    return tenant;
  }
}
