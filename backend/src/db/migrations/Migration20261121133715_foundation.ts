import { Migration } from '@mikro-orm/migrations';

export class Migration20261121133715_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenant" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "key" varchar(64) not null, "default_max_chats" int not null default 5, constraint "tenant_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "tenant" add constraint "tenant_key_unique" unique ("key");`);

    this.addSql(
      `create table "department" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(120) not null, constraint "department_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "department_tenant_id_index" on "department" ("tenant_id");`);
    this.addSql(
      `create unique index "department_tenant_name_unique" on "department" ("tenant_id", lower("name"));`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "email" varchar(254) not null, "name" varchar(120) not null, "password_hash" varchar(255) not null, "role" text check ("role" in ('admin', 'operator')) not null default 'operator', "status" text check ("status" in ('online', 'away', 'offline')) not null default 'offline', "status_changed_at" timestamptz not null default now(), "max_chats" int null, constraint "app_user_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "app_user_tenant_id_index" on "app_user" ("tenant_id");`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(
      `create table "user_department" ("user_id" uuid not null, "department_id" uuid not null, constraint "user_department_pkey" primary key ("user_id", "department_id"));`,
    );

    this.addSql(
      `alter table "department" add constraint "department_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "app_user" add constraint "app_user_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "user_department" add constraint "user_department_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "user_department" add constraint "user_department_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "department" drop constraint "department_tenant_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_tenant_id_foreign";`);

    this.addSql(
      `alter table "user_department" drop constraint "user_department_department_id_foreign";`,
    );

    this.addSql(`alter table "user_department" drop constraint "user_department_user_id_foreign";`);

    this.addSql(`drop table if exists "tenant" cascade;`);

    this.addSql(`drop table if exists "department" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "user_department" cascade;`);
  }
}
