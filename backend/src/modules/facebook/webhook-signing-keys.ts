import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { FacebookPage } from './facebook-page.entity.js';

/** What verifying a tenant's deliveries needs: its id and each Facebook page's app secret. */
export type TenantSigningKeys = {
  tenantId: string;
  /** Facebook page id → app secret (plain). Every page of the tenant, active or not. */
  appSecrets: ReadonlyMap<string, string>;
  loadedAt: number;
};

/** How long a tenant's keys are trusted without asking PostgreSQL again. */
export const SIGNING_KEYS_TTL_MS = 5_000;
/** A delivery the cached keys cannot verify reloads them, but at most this often per tenant. */
export const SIGNING_KEYS_RELOAD_INTERVAL_MS = 1_000;
/**
 * How long a key that is no tenant's is answered from memory. Keys are random (18 bytes), so
 * no tenant signs up with one that was asked for before; the bound only limits memory.
 */
export const UNKNOWN_KEY_TTL_MS = 60_000;
/** Unknown keys remembered at most (the oldest are dropped first). */
export const UNKNOWN_KEYS_KEPT = 10_000;
/** The tenant key column's length: a longer key is no tenant's without asking. */
const TENANT_KEY_MAX_LENGTH = 64;

/**
 * The webhook's hot path reads a tenant's page secrets from memory: looking them up and
 * decrypting them on every delivery cost most of the acknowledgement's CPU. Entries live a
 * few seconds; a delivery naming an unknown page or failing the signature reloads them
 * (rate-limited, so forged deliveries cannot turn into a query each), and this process's own
 * page changes drop them at once. A key that is no tenant's is remembered as such for a
 * minute, so a flood to it does not cost a query per request either. Another api instance's change is seen within the TTL, and
 * Facebook retries whatever was refused meanwhile.
 */
export class WebhookSigningKeys {
  private readonly byTenantKey = new Map<string, TenantSigningKeys>();
  /** Keys that are no tenant's → when that was found: a flood to one costs no query each. */
  private readonly unknownKeys = new Map<string, number>();

  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  /** The tenant's keys, null for an unknown tenant key. */
  async lookup(tenantKey: string): Promise<TenantSigningKeys | null> {
    const cached = this.byTenantKey.get(tenantKey);
    if (cached && this.now() - cached.loadedAt < SIGNING_KEYS_TTL_MS) return cached;
    if (tenantKey.length > TENANT_KEY_MAX_LENGTH) return null;
    const unknownSince = this.unknownKeys.get(tenantKey);
    if (unknownSince !== undefined && this.now() - unknownSince < UNKNOWN_KEY_TTL_MS) return null;
    return this.load(tenantKey);
  }

  /** The keys this process holds, however old, without asking PostgreSQL. */
  cached(tenantKey: string): TenantSigningKeys | null {
    return this.byTenantKey.get(tenantKey) ?? null;
  }

  /** Fresher keys after a miss, unless they were loaded a moment ago. */
  async reloadAfterMiss(stale: TenantSigningKeys, tenantKey: string): Promise<TenantSigningKeys> {
    if (this.now() - stale.loadedAt < SIGNING_KEYS_RELOAD_INTERVAL_MS) return stale;
    return (await this.load(tenantKey)) ?? stale;
  }

  /** Called when a tenant's pages change in this process. */
  forget(tenantId: string): void {
    for (const [key, keys] of this.byTenantKey)
      if (keys.tenantId === tenantId) this.byTenantKey.delete(key);
  }

  private async load(tenantKey: string): Promise<TenantSigningKeys | null> {
    const em = this.em.fork();
    const tenant = await em.findOne(Tenant, { key: tenantKey }, { fields: ['id'] });
    if (!tenant) {
      this.byTenantKey.delete(tenantKey);
      this.rememberUnknown(tenantKey);
      return null;
    }
    const pages = await em.find(
      FacebookPage,
      { tenant: tenant.id },
      { fields: ['pageId', 'appSecretSealed'], filters: { tenant: false } },
    );
    const keys: TenantSigningKeys = {
      tenantId: tenant.id,
      appSecrets: new Map(pages.map((page) => [page.pageId, page.openAppSecret(this.secrets)])),
      loadedAt: this.now(),
    };
    this.byTenantKey.set(tenantKey, keys);
    return keys;
  }

  private rememberUnknown(tenantKey: string): void {
    this.unknownKeys.delete(tenantKey); // re-inserted last: the Map's order is the age order
    this.unknownKeys.set(tenantKey, this.now());
    if (this.unknownKeys.size > UNKNOWN_KEYS_KEPT) {
      const oldest = this.unknownKeys.keys().next().value!;
      this.unknownKeys.delete(oldest);
    }
  }
}
