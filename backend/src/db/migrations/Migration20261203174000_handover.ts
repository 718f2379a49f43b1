import { Migration } from '@mikro-orm/migrations';

const REASONS_BEFORE = `'new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity', 'steered', 'department_chosen', 'department_menu_skipped'`;

export class Migration20261203174000_handover extends Migration {
  override async up(): Promise<void> {
    // Omni as secondary receiver beside a primary app (a bot): the admin's per-page opt-in.
    this.addSql(
      `alter table "facebook_page" add column "handover_enabled" boolean not null default false;`,
    );
    // Which app controls the visitor's thread (null: the page does not use the protocol, or
    // nothing is known yet), and the app to pass it back to when Omni is done.
    this.addSql(
      `alter table "conversation" add column "thread_control" text check ("thread_control" in ('omni', 'other_app')) null, add column "thread_return_app_id" varchar(64) null;`,
    );
    // A conversation queued because the primary app passed the thread to Omni.
    this.addSql(
      `alter table "conversation_event" drop constraint "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in (${REASONS_BEFORE}, 'thread_passed'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "conversation_event" where "reason" = 'thread_passed';`);
    this.addSql(
      `alter table "conversation_event" drop constraint "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in (${REASONS_BEFORE}));`,
    );
    this.addSql(
      `alter table "conversation" drop column "thread_control", drop column "thread_return_app_id";`,
    );
    this.addSql(`alter table "facebook_page" drop column "handover_enabled";`);
  }
}
