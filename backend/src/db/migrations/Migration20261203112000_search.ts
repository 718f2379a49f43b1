import { Migration } from '@mikro-orm/migrations';

/**
 * Search over visitor names and message text (GET /api/conversations?q=): trigram indexes,
 * so `ilike '%word%'` reads the index instead of every message of every tenant.
 */
export class Migration20261203112000_search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create index "message_text_trgm_index" on "message" using gin ("text" gin_trgm_ops);`,
    );
    // The expression the search matches a visitor's full name with (conversation-list.repository.ts).
    this.addSql(
      `create index "contact_name_trgm_index" on "contact" using gin ((coalesce("first_name", '') || ' ' || coalesce("last_name", '')) gin_trgm_ops);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "contact_name_trgm_index";`);
    this.addSql(`drop index if exists "message_text_trgm_index";`);
  }
}
