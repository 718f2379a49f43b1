import { Migration } from '@mikro-orm/migrations';

export class Migration20261203111000_labels extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "label" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "name" varchar(40) not null, "color" varchar(7) not null, constraint "label_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "label_tenant_id_index" on "label" ("tenant_id");`);
    this.addSql(
      `create unique index "label_tenant_name_unique" on "label" ("tenant_id", lower("name"));`,
    );
    this.addSql(
      `create table "conversation_label" ("conversation_id" uuid not null, "label_id" uuid not null, constraint "conversation_label_pkey" primary key ("conversation_id", "label_id"));`,
    );
    this.addSql(
      `create index "conversation_label_label_id_index" on "conversation_label" ("label_id");`,
    );

    this.addSql(
      `alter table "label" add constraint "label_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation_label" add constraint "conversation_label_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation_label" add constraint "conversation_label_label_id_foreign" foreign key ("label_id") references "label" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "conversation_label" cascade;`);
    this.addSql(`drop table if exists "label" cascade;`);
  }
}
