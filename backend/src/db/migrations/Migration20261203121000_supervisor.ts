import { Migration } from '@mikro-orm/migrations';

/**
 * The supervisor role, and the event log's reason for a conversation an admin or supervisor
 * gave to an operator (POST /api/conversations/:id/assign).
 */
export class Migration20261203121000_supervisor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user" drop constraint if exists "app_user_role_check";`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_role_check" check("role" in ('admin', 'supervisor', 'operator', 'reviewer'));`,
    );
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity', 'steered'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "conversation_event" set "reason" = 'transfer' where "reason" = 'steered';`,
    );
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );
    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout', 'follow_up', 'inactivity'));`,
    );
    this.addSql(`update "app_user" set "role" = 'operator' where "role" = 'supervisor';`);
    this.addSql(`alter table "app_user" drop constraint if exists "app_user_role_check";`);
    this.addSql(
      `alter table "app_user" add constraint "app_user_role_check" check("role" in ('admin', 'operator', 'reviewer'));`,
    );
  }
}
