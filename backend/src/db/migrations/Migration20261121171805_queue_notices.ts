import { Migration } from '@mikro-orm/migrations';

export class Migration20261121171805_queue_notices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "tenant" add column "language" text check ("language" in ('en', 'ru', 'bn')) not null default 'en', add column "queue_notice_enabled" boolean not null default false, add column "offline_notice_enabled" boolean not null default false;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "tenant" drop column "language", drop column "queue_notice_enabled", drop column "offline_notice_enabled";`,
    );
  }
}
