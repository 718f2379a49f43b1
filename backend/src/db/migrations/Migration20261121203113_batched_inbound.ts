import { Migration } from '@mikro-orm/migrations';

export class Migration20261121203113_batched_inbound extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "conversation_contact_created_at_index" on "conversation" ("contact_id", "created_at");`,
    );

    this.addSql(`alter table "webhook_event" add column "process_after" timestamptz null;`);

    this.addSql(`alter table "contact" add column "profile_requested_at" timestamptz null;`);

    this.addSql(`drop index "webhook_event_pending_created_at_index";`);
    this.addSql(
      `create index "webhook_event_pending_index" on "webhook_event" ("created_at") where "status" = 'pending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_event_pending_index";`);
    this.addSql(
      `create index "webhook_event_pending_created_at_index" on "webhook_event" ("status", "created_at");`,
    );

    this.addSql(`drop index "conversation_contact_created_at_index";`);

    this.addSql(`alter table "webhook_event" drop column "process_after";`);

    this.addSql(`alter table "contact" drop column "profile_requested_at";`);
  }
}
