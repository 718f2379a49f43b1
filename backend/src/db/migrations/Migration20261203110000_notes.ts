import { Migration } from '@mikro-orm/migrations';

/** Private notes: messages of direction "internal" and kind "note", with their mentions. */
export class Migration20261203110000_notes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "message" drop constraint if exists "message_direction_check";`);
    this.addSql(`alter table "message" drop constraint if exists "message_kind_check";`);

    this.addSql(`alter table "message" add column "mentions" jsonb not null default '[]';`);

    this.addSql(
      `alter table "message" add constraint "message_direction_check" check("direction" in ('in', 'out', 'internal'));`,
    );
    this.addSql(
      `alter table "message" add constraint "message_kind_check" check("kind" in ('text', 'image', 'video', 'audio', 'file', 'location', 'sticker', 'fallback', 'postback', 'reaction', 'referral', 'other', 'note'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "message" where "direction" = 'internal' or "kind" = 'note';`);
    this.addSql(`alter table "message" drop constraint if exists "message_direction_check";`);
    this.addSql(`alter table "message" drop constraint if exists "message_kind_check";`);

    this.addSql(`alter table "message" drop column "mentions";`);

    this.addSql(
      `alter table "message" add constraint "message_direction_check" check("direction" in ('in', 'out'));`,
    );
    this.addSql(
      `alter table "message" add constraint "message_kind_check" check("kind" in ('text', 'image', 'video', 'audio', 'file', 'location', 'sticker', 'fallback', 'postback', 'reaction', 'referral', 'other'));`,
    );
  }
}
