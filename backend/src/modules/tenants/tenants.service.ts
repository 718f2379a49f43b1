import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { Actor } from '../auth/actor.js';
import { Tenant } from './tenant.entity.js';
import { toTenantDto, type TenantDto, type UpdateTenantInput } from './tenants.schemas.js';

export class TenantsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Pick<Config, 'publicUrl'>,
  ) {}

  async get(actor: Actor): Promise<TenantDto> {
    return this.present(await this.em.findOneOrFail(Tenant, actor.tenantId));
  }

  async update(actor: Actor, input: UpdateTenantInput): Promise<TenantDto> {
    const tenant = await this.em.findOneOrFail(Tenant, actor.tenantId);
    if (input.name !== undefined) tenant.name = input.name;
    if (input.defaultMaxChats !== undefined) tenant.defaultMaxChats = input.defaultMaxChats;
    await this.em.flush();
    return this.present(tenant);
  }

  present(tenant: Tenant): TenantDto {
    return toTenantDto(tenant, this.config.publicUrl);
  }
}
