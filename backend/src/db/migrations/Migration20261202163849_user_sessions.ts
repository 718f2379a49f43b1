import { Migration } from '@mikro-orm/migrations';

export class Migration20261202163849_user_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "user_session" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "user_id" uuid not null, "expires_at" timestamptz not null, constraint "user_session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "user_session_tenant_id_index" on "user_session" ("tenant_id");`);
    this.addSql(`create index "user_session_user_id_index" on "user_session" ("user_id");`);

    this.addSql(
      `alter table "user_session" add constraint "user_session_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "user_session" cascade;`);
  }
}
