import { Migration } from '@mikro-orm/migrations';

export class Migration20261121144607_stored_files extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "stored_file" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "storage_key" varchar(300) not null, "content_type" varchar(200) not null, "size" int not null, "file_name" varchar(300) null, "source_url" text null, constraint "stored_file_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "stored_file_tenant_id_index" on "stored_file" ("tenant_id");`);

    this.addSql(
      `alter table "stored_file" add constraint "stored_file_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "stored_file" cascade;`);
  }
}
