import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { Actor } from '../auth/actor.js';
import type { WakeDispatcher } from '../routing/routing.service.js';
import { Tenant } from './tenant.entity.js';
import { toTenantDto, type TenantDto, type UpdateTenantInput } from './tenants.schemas.js';

export class TenantsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Pick<Config, 'publicUrl' | 'demoMode'>,
    /** A larger default capacity may let waiting chats through. */
    private readonly wakeDispatcher: WakeDispatcher = async () => {},
  ) {}

  async get(actor: Actor): Promise<TenantDto> {
    return this.present(await this.em.findOneOrFail(Tenant, actor.tenantId));
  }

  async update(actor: Actor, input: UpdateTenantInput): Promise<TenantDto> {
    const tenant = await this.em.findOneOrFail(Tenant, actor.tenantId);
    if (input.name !== undefined) tenant.name = input.name;
    if (input.defaultMaxChats !== undefined) tenant.defaultMaxChats = input.defaultMaxChats;
    if (input.firstResponseTimeoutSeconds !== undefined)
      tenant.firstResponseTimeoutSeconds = input.firstResponseTimeoutSeconds;
    if (input.language !== undefined) tenant.language = input.language;
    if (input.queueNoticeEnabled !== undefined)
      tenant.queueNoticeEnabled = input.queueNoticeEnabled;
    if (input.offlineNoticeEnabled !== undefined)
      tenant.offlineNoticeEnabled = input.offlineNoticeEnabled;
    await this.em.flush();
    if (input.defaultMaxChats !== undefined) await this.wakeDispatcher(tenant.id);
    return this.present(tenant);
  }

  present(tenant: Tenant): TenantDto {
    return toTenantDto(tenant, this.config.publicUrl, this.config.demoMode);
  }
}
