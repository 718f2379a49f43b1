import { Migration } from '@mikro-orm/migrations';

/** The claim walks pending deliveries per (tenant, first page) instead of oldest first overall. */
export class Migration20261202173043_fair_inbound_claim extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "webhook_event_pending_index";`);
    this.addSql(
      `create index "webhook_event_pending_claim_index" on "webhook_event" ("tenant_id", (coalesce("page_ids"[1], '')), "created_at", "id") where "status" = 'pending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_event_pending_claim_index";`);
    this.addSql(
      `create index "webhook_event_pending_index" on "webhook_event" ("created_at") where "status" = 'pending';`,
    );
  }
}
