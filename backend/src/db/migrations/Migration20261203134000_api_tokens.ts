import { Migration } from '@mikro-orm/migrations';

export class Migration20261203134000_api_tokens extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "api_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(80) not null, "token_hash" varchar(64) not null, "prefix" varchar(16) not null, "created_by_id" uuid null, "last_used_at" timestamptz null, constraint "api_token_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "api_token_tenant_id_index" on "api_token" ("tenant_id");`);
    // Every request with a token looks it up by its hash.
    this.addSql(
      `alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `alter table "api_token" add constraint "api_token_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_token" add constraint "api_token_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_token" cascade;`);
  }
}
