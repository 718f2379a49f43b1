import { Migration } from '@mikro-orm/migrations';

export class Migration20261121160959_routing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "conversation_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "conversation_id" uuid not null, "type" text check ("type" in ('queued', 'assigned', 'taken', 'transferred', 'requeued', 'closed')) not null, "reason" text check ("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost')) not null, "occurred_at" timestamptz not null, "actor_id" uuid null, "actor_name" varchar(120) null, "operator_id" uuid null, "operator_name" varchar(120) null, "department_id" uuid null, constraint "conversation_event_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "conversation_event_tenant_id_index" on "conversation_event" ("tenant_id");`,
    );
    this.addSql(
      `create index "conversation_event_conversation_id_index" on "conversation_event" ("conversation_id");`,
    );
    this.addSql(
      `create index "conversation_event_tenant_occurred_at_index" on "conversation_event" ("tenant_id", "occurred_at");`,
    );

    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_operator_id_foreign" foreign key ("operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "app_user" add column "last_assigned_at" timestamptz null;`);

    this.addSql(`alter table "conversation" add column "last_operator_id" uuid null;`);
    this.addSql(
      `alter table "conversation" add constraint "conversation_last_operator_id_foreign" foreign key ("last_operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create index "conversation_operator_status_index" on "conversation" ("operator_id", "status");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "conversation_event" cascade;`);

    this.addSql(
      `alter table "conversation" drop constraint "conversation_last_operator_id_foreign";`,
    );

    this.addSql(`alter table "app_user" drop column "last_assigned_at";`);

    this.addSql(`drop index "conversation_operator_status_index";`);
    this.addSql(`alter table "conversation" drop column "last_operator_id";`);
  }
}
