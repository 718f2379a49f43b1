import { Migration } from '@mikro-orm/migrations';

export class Migration20261121142410_facebook_pages extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "facebook_page" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(200) not null, "page_id" varchar(64) not null, "page_name" varchar(200) not null, "access_token_sealed" text not null, "access_token_hint" varchar(8) not null, "app_secret_sealed" text not null, "app_secret_hint" varchar(8) not null, "verify_token" varchar(200) not null, "department_id" uuid null, "human_agent_enabled" boolean not null default false, "active" boolean not null default true, "token_valid" boolean not null default true, "webhook_verified_at" timestamptz null, "subscribed" boolean not null default false, "subscription_checked_at" timestamptz null, "last_event_at" timestamptz null, "last_error" text null, "last_error_at" timestamptz null, constraint "facebook_page_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "facebook_page_tenant_id_index" on "facebook_page" ("tenant_id");`);
    this.addSql(
      `create unique index "facebook_page_active_page_id_unique" on "facebook_page" ("page_id") where "active";`,
    );
    this.addSql(
      `alter table "facebook_page" add constraint "facebook_page_tenant_page_id_unique" unique ("tenant_id", "page_id");`,
    );

    this.addSql(
      `create table "webhook_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "raw_body" text null, "page_ids" text[] not null, "status" text check ("status" in ('pending', 'processed', 'failed', 'ignored')) not null default 'pending', "ignored_reason" text null, "processed_at" timestamptz null, "attempts" int not null default 0, "last_error" text null, constraint "webhook_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_event_tenant_id_index" on "webhook_event" ("tenant_id");`);
    this.addSql(
      `create index "webhook_event_pending_created_at_index" on "webhook_event" ("status", "created_at");`,
    );

    this.addSql(
      `alter table "facebook_page" add constraint "facebook_page_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "facebook_page" add constraint "facebook_page_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "webhook_event" add constraint "webhook_event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "facebook_page" cascade;`);

    this.addSql(`drop table if exists "webhook_event" cascade;`);
  }
}
