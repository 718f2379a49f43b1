import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164523_webhook_retention extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "webhook_event_finished_index" on "webhook_event" ("created_at") where "status" <> 'pending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_event_finished_index";`);
  }
}
