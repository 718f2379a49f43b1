import { Migration } from '@mikro-orm/migrations';

/**
 * Follow-up and automatic close: the tenant's two new settings, and the event log's new
 * lines (a closed chat reopened by an operator; a chat closed for the visitor's silence).
 */
export class Migration20261203113000_follow_up_auto_close extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "tenant" add column "auto_close_after_minutes" int null;`);
    this.addSql(
      `alter table "tenant" add column "unanswered_reminder_seconds" int not null default 120;`,
    );

    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_type_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_type_check" check("type" in ('queued', 'assigned', 'taken', 'transferred', 'requeued', 'closed', 'reopened'));`,
    );
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout'));`,
    );
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_type_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_type_check" check("type" in ('queued', 'assigned', 'taken', 'transferred', 'requeued', 'closed'));`,
    );

    this.addSql(`alter table "tenant" drop column "unanswered_reminder_seconds";`);
    this.addSql(`alter table "tenant" drop column "auto_close_after_minutes";`);
  }
}
