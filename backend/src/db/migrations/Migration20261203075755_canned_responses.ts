import { Migration } from '@mikro-orm/migrations';

export class Migration20261203075755_canned_responses extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "canned_response" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "scope" text check ("scope" in ('tenant', 'department', 'personal')) not null, "department_id" uuid null, "owner_id" uuid null, "shortcut" varchar(32) not null, "title" varchar(120) null, "text" text not null, constraint "canned_response_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "canned_response_tenant_id_index" on "canned_response" ("tenant_id");`,
    );
    this.addSql(
      `create index "canned_response_department_id_index" on "canned_response" ("department_id");`,
    );
    this.addSql(`create index "canned_response_owner_id_index" on "canned_response" ("owner_id");`);
    this.addSql(
      `create unique index "canned_response_shared_shortcut_unique" on "canned_response" ("tenant_id", lower("shortcut")) where "scope" <> 'personal';`,
    );
    this.addSql(
      `create unique index "canned_response_personal_shortcut_unique" on "canned_response" ("owner_id", lower("shortcut")) where "scope" = 'personal';`,
    );

    this.addSql(
      `alter table "canned_response" add constraint "canned_response_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "canned_response" add constraint "canned_response_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "canned_response" add constraint "canned_response_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "canned_response" cascade;`);
  }
}
