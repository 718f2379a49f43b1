import { Migration } from '@mikro-orm/migrations';

export class Migration20261203170000_outbound_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "webhook_subscription" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "url" text not null, "events" jsonb not null, "secret_sealed" text not null, "enabled" boolean not null default true, "disabled_at" timestamptz null, "failing_since" timestamptz null, "created_by_id" uuid null, constraint "webhook_subscription_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_subscription_tenant_id_index" on "webhook_subscription" ("tenant_id");`,
    );

    this.addSql(
      `create table "outbound_webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "subscription_id" uuid not null, "event" text not null, "body" text not null, "status" text not null default 'pending', "attempts" int not null default 0, "response_status" int null, "last_error" text null, "next_attempt_at" timestamptz null, "give_up_at" timestamptz not null, "delivered_at" timestamptz null, "conversation_id" uuid null, constraint "outbound_webhook_delivery_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "outbound_webhook_delivery_tenant_id_index" on "outbound_webhook_delivery" ("tenant_id");`,
    );
    this.addSql(
      `create index "outbound_webhook_delivery_conversation_id_index" on "outbound_webhook_delivery" ("conversation_id");`,
    );
    this.addSql(
      `create index "outbound_webhook_delivery_subscription_created_index" on "outbound_webhook_delivery" ("subscription_id", "created_at");`,
    );
    // The sweep finds pending deliveries whose attempt is overdue (their job was lost).
    this.addSql(
      `create index "outbound_webhook_delivery_pending_index" on "outbound_webhook_delivery" ("next_attempt_at") where "status" = 'pending';`,
    );

    this.addSql(
      `alter table "webhook_subscription" add constraint "webhook_subscription_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_subscription" add constraint "webhook_subscription_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "outbound_webhook_delivery" add constraint "outbound_webhook_delivery_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "outbound_webhook_delivery" add constraint "outbound_webhook_delivery_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscription" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "outbound_webhook_delivery" drop constraint "outbound_webhook_delivery_subscription_id_foreign";`,
    );

    this.addSql(`drop table if exists "webhook_subscription" cascade;`);

    this.addSql(`drop table if exists "outbound_webhook_delivery" cascade;`);
  }
}
