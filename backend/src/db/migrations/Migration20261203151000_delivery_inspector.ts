import { Migration } from '@mikro-orm/migrations';

export class Migration20261203151000_delivery_inspector extends Migration {
  override async up(): Promise<void> {
    // The messages a delivery became, recorded when it is marked processed (the inspector).
    this.addSql(
      `alter table "webhook_event" add column "message_ids" uuid[] not null default '{}';`,
    );
    // The inspector lists a tenant's deliveries newest first, a page at a time.
    this.addSql(
      `create index "webhook_event_tenant_received_index" on "webhook_event" ("tenant_id", "created_at" desc, "id" desc);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_event_tenant_received_index";`);
    this.addSql(`alter table "webhook_event" drop column "message_ids";`);
  }
}
