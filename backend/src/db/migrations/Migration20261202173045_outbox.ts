import { Migration } from '@mikro-orm/migrations';

export class Migration20261202173045_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "kind" text not null, "payload" jsonb not null, "attempts" int not null default 0, "available_at" timestamptz not null default now(), "last_error" text null, "failed_at" timestamptz null, constraint "outbox_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "outbox_entry_tenant_id_index" on "outbox_entry" ("tenant_id");`);
    this.addSql(
      `create index "outbox_entry_due_index" on "outbox_entry" ("available_at", "id") where "failed_at" is null;`,
    );

    this.addSql(
      `alter table "outbox_entry" add constraint "outbox_entry_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_entry" cascade;`);
  }
}
