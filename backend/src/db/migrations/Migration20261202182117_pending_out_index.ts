import { Migration } from '@mikro-orm/migrations';

export class Migration20261202182117_pending_out_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "message_pending_out_index" on "message" ("created_at") where "status" = 'pending' and "direction" = 'out';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "message_pending_out_index";`);
  }
}
