import { Migration } from '@mikro-orm/migrations';

/** Each user's alert settings; null keeps the defaults (alert-preferences.schemas.ts). */
export class Migration20261203114000_alert_preferences extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user" add column "alert_preferences" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop column "alert_preferences";`);
  }
}
