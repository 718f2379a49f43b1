import { Migration } from '@mikro-orm/migrations';

/**
 * A delivery's body is kept as the bytes that were signed: a text column refuses U+0000 and
 * invalid UTF-8, so storing could fail on content. Existing bodies are converted as UTF-8
 * (the generated `::bytea` cast would read backslashes as bytea escapes, and JSON is full of
 * them). Going down fails on a body that is not UTF-8, which text cannot hold.
 */
export class Migration20261202173451_raw_body_bytes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "webhook_event" alter column "raw_body" type bytea using convert_to("raw_body", 'UTF8');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "webhook_event" alter column "raw_body" type text using convert_from("raw_body", 'UTF8');`,
    );
  }
}
