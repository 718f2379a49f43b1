import { Migration } from '@mikro-orm/migrations';

export class Migration20261202164133_stored_file_owners extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "stored_file" add column "message_id" uuid null, add column "page_id" uuid null;`,
    );
    this.addSql(
      `alter table "stored_file" add constraint "stored_file_message_id_foreign" foreign key ("message_id") references "message" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "stored_file" add constraint "stored_file_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "stored_file_message_id_index" on "stored_file" ("message_id");`);
    this.addSql(`create index "stored_file_page_id_index" on "stored_file" ("page_id");`);
    // Files stored before: their message is the one whose attachment names them.
    this.addSql(
      `update "stored_file" as f set "message_id" = m."id", "page_id" = m."page_id"
       from "message" as m, jsonb_array_elements(m."attachments") as attachment
       where attachment->>'storedFileId' = f."id"::text;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "stored_file" drop constraint "stored_file_message_id_foreign";`);
    this.addSql(`alter table "stored_file" drop constraint "stored_file_page_id_foreign";`);

    this.addSql(`drop index "stored_file_message_id_index";`);
    this.addSql(`drop index "stored_file_page_id_index";`);
    this.addSql(`alter table "stored_file" drop column "message_id", drop column "page_id";`);
  }
}
