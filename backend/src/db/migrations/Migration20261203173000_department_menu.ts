import { Migration } from '@mikro-orm/migrations';

/**
 * Department menu in Messenger: a page's switch, prompt and options (quick replies, each to a
 * department: deleted with it); a new conversation's 'choosing_department' state with the
 * time the visitor was reminded once; why a conversation left the menu for the queue.
 */
export class Migration20261203173000_department_menu extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "department_menu_option" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "page_id" uuid not null, "department_id" uuid not null, "title" varchar(20) not null, "position" smallint not null, constraint "department_menu_option_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "department_menu_option_tenant_id_index" on "department_menu_option" ("tenant_id");`,
    );
    this.addSql(
      `create index "department_menu_option_page_id_index" on "department_menu_option" ("page_id");`,
    );
    this.addSql(
      `create index "department_menu_option_department_id_index" on "department_menu_option" ("department_id");`,
    );

    this.addSql(
      `alter table "department_menu_option" add constraint "department_menu_option_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "department_menu_option" add constraint "department_menu_option_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "department_menu_option" add constraint "department_menu_option_department_id_foreign" foreign key ("department_id") references "department" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "conversation" drop constraint if exists "conversation_status_check";`,
    );

    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );

    this.addSql(
      `alter table "facebook_page" add column "department_menu_enabled" boolean not null default false, add column "department_menu_prompt" varchar(640) null;`,
    );

    this.addSql(
      `alter table "conversation" add column "department_menu_reminded_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "conversation" add constraint "conversation_status_check" check("status" in ('choosing_department', 'queued', 'assigned', 'closed'));`,
    );

    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity', 'steered', 'department_chosen', 'department_menu_skipped'));`,
    );
  }

  override async down(): Promise<void> {
    // Conversations still choosing go to the queue; the log's new reasons read as new chats.
    this.addSql(
      `update "conversation" set "status" = 'queued', "queued_at" = coalesce("queued_at", "created_at") where "status" = 'choosing_department';`,
    );
    this.addSql(
      `update "conversation_event" set "reason" = 'new_conversation' where "reason" in ('department_chosen', 'department_menu_skipped');`,
    );
    this.addSql(`drop table if exists "department_menu_option" cascade;`);

    this.addSql(
      `alter table "conversation" drop constraint if exists "conversation_status_check";`,
    );

    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );

    this.addSql(`alter table "conversation" drop column "department_menu_reminded_at";`);

    this.addSql(
      `alter table "conversation" add constraint "conversation_status_check" check("status" in ('queued', 'assigned', 'closed'));`,
    );

    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity', 'steered'));`,
    );

    this.addSql(
      `alter table "facebook_page" drop column "department_menu_enabled", drop column "department_menu_prompt";`,
    );
  }
}
