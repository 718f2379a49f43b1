import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import { flushWith } from '../../db/sql.js';
import { diffFields, recordAudit } from '../audit/audit-recorder.js';
import type { Actor } from '../auth/actor.js';
import type { WakeDispatcher } from '../routing/routing.service.js';
import { Tenant } from './tenant.entity.js';
import {
  toSettingsDto,
  toTenantDto,
  type SettingsDto,
  type TenantDto,
  type UpdateTenantInput,
} from './tenants.schemas.js';

export class TenantsService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Pick<Config, 'publicUrl' | 'demoMode'>,
    /** A larger default capacity may let waiting chats through. */
    private readonly wakeDispatcher: WakeDispatcher = async () => {},
    /**
     * Cuts the sockets of the tenant's admins once two-factor became required: those who have
     * it reconnect at once, the others are refused until they set it up.
     */
    private readonly disconnectAdmins: (tenantId: string) => void = () => {},
  ) {}

  async get(actor: Actor): Promise<TenantDto> {
    return this.present(await this.em.findOneOrFail(Tenant, actor.tenantId));
  }

  /** The business's settings record: everyone of it may read it. */
  async settings(actor: Actor): Promise<SettingsDto> {
    return toSettingsDto(await this.em.findOneOrFail(Tenant, actor.tenantId));
  }

  /** PATCH /api/tenant: the business as /api/me shows it. */
  async update(actor: Actor, input: UpdateTenantInput): Promise<TenantDto> {
    return this.present(await this.change(actor, input));
  }

  /** PATCH /api/settings: the same change, answered with the settings record. */
  async updateSettings(actor: Actor, input: UpdateTenantInput): Promise<SettingsDto> {
    return toSettingsDto(await this.change(actor, input));
  }

  present(tenant: Tenant): TenantDto {
    return toTenantDto(tenant, this.config.publicUrl, this.config.demoMode);
  }

  private async change(actor: Actor, input: UpdateTenantInput): Promise<Tenant> {
    const tenant = await this.em.findOneOrFail(Tenant, actor.tenantId);
    const settingsBefore = toSettingsDto(tenant);
    const isRequiringTwoFactorNow =
      input.require2faForAdmins === true && !tenant.require2faForAdmins;
    if (input.name !== undefined) tenant.name = input.name;
    if (input.defaultMaxChats !== undefined) tenant.defaultMaxChats = input.defaultMaxChats;
    if (input.firstResponseTimeoutSeconds !== undefined)
      tenant.firstResponseTimeoutSeconds = input.firstResponseTimeoutSeconds;
    if (input.autoCloseAfterMinutes !== undefined)
      tenant.autoCloseAfterMinutes = input.autoCloseAfterMinutes;
    if (input.unansweredReminderSeconds !== undefined)
      tenant.unansweredReminderSeconds = input.unansweredReminderSeconds;
    if (input.language !== undefined) tenant.language = input.language;
    if (input.queueNoticeEnabled !== undefined)
      tenant.queueNoticeEnabled = input.queueNoticeEnabled;
    if (input.offlineNoticeEnabled !== undefined)
      tenant.offlineNoticeEnabled = input.offlineNoticeEnabled;
    if (input.csat?.enabled !== undefined) tenant.csatEnabled = input.csat.enabled;
    if (input.csat?.question !== undefined) tenant.csatQuestion = input.csat.question || null;
    if (input.timezone !== undefined) tenant.timezone = input.timezone;
    if (input.privacyContact !== undefined) tenant.privacyContact = input.privacyContact || null;
    if (input.require2faForAdmins !== undefined)
      tenant.require2faForAdmins = input.require2faForAdmins;
    await flushWith(this.em, (sql) =>
      recordAudit(sql, actor, {
        action: 'settings.updated',
        target: { type: 'settings', id: tenant.id, name: tenant.name },
        changes: diffFields(settingsBefore, toSettingsDto(tenant)),
      }),
    );
    if (input.defaultMaxChats !== undefined) await this.wakeDispatcher(tenant.id);
    if (isRequiringTwoFactorNow) this.disconnectAdmins(tenant.id);
    return tenant;
  }
}
