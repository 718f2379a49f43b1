import { Migration } from '@mikro-orm/migrations';

/**
 * Two-factor sign-in (TOTP): each user's secret, sealed (crypto/secret-box.ts), the one being
 * set up, the last time step accepted (no replay), and the digests of unused recovery codes;
 * the tenant's switch that makes its admins set one up.
 */
export class Migration20261203130000_two_factor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user"
      add column "two_factor_secret_sealed" text null,
      add column "two_factor_pending_secret_sealed" text null,
      add column "two_factor_enabled_at" timestamptz null,
      add column "two_factor_last_step" int null,
      add column "two_factor_recovery_code_digests" jsonb not null default '[]';`);
    this.addSql(
      `alter table "tenant" add column "require2fa_for_admins" boolean not null default false;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "tenant" drop column "require2fa_for_admins";`);
    this.addSql(`alter table "app_user"
      drop column "two_factor_secret_sealed",
      drop column "two_factor_pending_secret_sealed",
      drop column "two_factor_enabled_at",
      drop column "two_factor_last_step",
      drop column "two_factor_recovery_code_digests";`);
  }
}
