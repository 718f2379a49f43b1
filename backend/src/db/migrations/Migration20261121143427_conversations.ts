import { Migration } from '@mikro-orm/migrations';

export class Migration20261121143427_conversations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "contact" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "page_id" uuid not null, "psid" varchar(64) not null, "first_name" varchar(200) null, "last_name" varchar(200) null, "avatar_url" text null, "profile_status" text check ("profile_status" in ('pending', 'fetched', 'unavailable')) not null default 'pending', "profile_fetched_at" timestamptz null, "last_inbound_at" timestamptz null, constraint "contact_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "contact_tenant_id_index" on "contact" ("tenant_id");`);
    this.addSql(
      `alter table "contact" add constraint "contact_page_psid_unique" unique ("page_id", "psid");`,
    );

    this.addSql(
      `create table "conversation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "contact_id" uuid not null, "page_id" uuid not null, "department_id" uuid null, "status" text check ("status" in ('queued', 'assigned', 'closed')) not null default 'queued', "operator_id" uuid null, "queued_at" timestamptz null, "assigned_at" timestamptz null, "closed_at" timestamptz null, "last_message_at" timestamptz null, "unread_count" int not null default 0, constraint "conversation_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "conversation_tenant_id_index" on "conversation" ("tenant_id");`);
    this.addSql(
      `create unique index "conversation_open_contact_unique" on "conversation" ("contact_id") where "status" <> 'closed';`,
    );
    this.addSql(
      `create index "conversation_tenant_status_queued_at_index" on "conversation" ("tenant_id", "status", "queued_at");`,
    );

    this.addSql(
      `create table "message" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "page_id" uuid not null, "direction" text check ("direction" in ('in', 'out')) not null, "source" text check ("source" in ('visitor', 'operator', 'page_inbox', 'automatic')) not null, "kind" text check ("kind" in ('text', 'image', 'video', 'audio', 'file', 'location', 'sticker', 'fallback', 'postback', 'reaction', 'referral', 'other')) not null, "text" text null, "attachments" jsonb not null default '[]', "mid" varchar(255) null, "dedup_key" varchar(255) not null, "occurred_at" timestamptz not null, "operator_id" uuid null, "status" text check ("status" in ('pending', 'sent', 'delivered', 'read', 'failed')) null, "error" text null, "edited_at" timestamptz null, "details" jsonb not null default '{}', constraint "message_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "message_tenant_id_index" on "message" ("tenant_id");`);
    this.addSql(
      `create index "message_conversation_occurred_at_index" on "message" ("conversation_id", "occurred_at");`,
    );
    this.addSql(`create index "message_page_mid_index" on "message" ("page_id", "mid");`);
    this.addSql(
      `alter table "message" add constraint "message_page_dedup_key_unique" unique ("page_id", "dedup_key");`,
    );

    this.addSql(
      `alter table "contact" add constraint "contact_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "conversation" add constraint "conversation_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_operator_id_foreign" foreign key ("operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "message" add constraint "message_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "message" add constraint "message_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "message" add constraint "message_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "message" add constraint "message_operator_id_foreign" foreign key ("operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "conversation" drop constraint "conversation_contact_id_foreign";`);

    this.addSql(`alter table "message" drop constraint "message_conversation_id_foreign";`);

    this.addSql(`drop table if exists "contact" cascade;`);

    this.addSql(`drop table if exists "conversation" cascade;`);

    this.addSql(`drop table if exists "message" cascade;`);
  }
}
