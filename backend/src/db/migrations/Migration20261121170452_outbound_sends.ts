import { Migration } from '@mikro-orm/migrations';

export class Migration20261121170452_outbound_sends extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "message" add column "send_started_at" timestamptz null, add column "send_attempts" int not null default 0;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "message" drop column "send_started_at", drop column "send_attempts";`,
    );
  }
}
