import { Migration } from '@mikro-orm/migrations';

export class Migration20261203131000_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_entry" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "actor_id" uuid null, "actor_name" varchar(120) not null, "action" text not null, "target_type" text not null, "target_id" uuid not null, "target_name" text null, "changes" jsonb not null default '{}', constraint "audit_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_entry_tenant_id_index" on "audit_entry" ("tenant_id");`);
    this.addSql(
      `create index "audit_entry_tenant_created_at_index" on "audit_entry" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "audit_entry_actor_created_at_index" on "audit_entry" ("actor_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "audit_entry_tenant_action_created_at_index" on "audit_entry" ("tenant_id", "action", "created_at", "id");`,
    );
    this.addSql(
      `create index "audit_entry_tenant_target_type_created_at_index" on "audit_entry" ("tenant_id", "target_type", "created_at", "id");`,
    );

    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "audit_entry" add constraint "audit_entry_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);
  }
}
