import { Migration } from '@mikro-orm/migrations';

export class Migration20261121162828_first_response_timeout extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );

    this.addSql(`alter table "tenant" add column "first_response_timeout_seconds" int null;`);

    this.addSql(`alter table "conversation" add column "timed_out_operator_id" uuid null;`);
    this.addSql(
      `alter table "conversation" add constraint "conversation_timed_out_operator_id_foreign" foreign key ("timed_out_operator_id") references "app_user" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost', 'first_response_timeout'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "conversation" drop constraint "conversation_timed_out_operator_id_foreign";`,
    );

    this.addSql(
      `alter table "conversation_event" drop constraint if exists "conversation_event_reason_check";`,
    );

    this.addSql(`alter table "conversation" drop column "timed_out_operator_id";`);

    this.addSql(
      `alter table "conversation_event" add constraint "conversation_event_reason_check" check("reason" in ('new_conversation', 'visitor_wrote', 'automatic', 'previous_operator', 'manual', 'transfer', 'operator_offline', 'connection_lost'));`,
    );

    this.addSql(`alter table "tenant" drop column "first_response_timeout_seconds";`);
  }
}
