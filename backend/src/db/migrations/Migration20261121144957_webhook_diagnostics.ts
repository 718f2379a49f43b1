import { Migration } from '@mikro-orm/migrations';

export class Migration20261121144957_webhook_diagnostics extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "webhook_event" add column "diagnostics" jsonb not null default '[]';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_event" drop column "diagnostics";`);
  }
}
