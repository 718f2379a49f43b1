import { Migration } from '@mikro-orm/migrations';

/** A department's business hours (business-hours.ts); null: none set, always open. */
export class Migration20261203122000_business_hours extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "department" add column "hours" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "department" drop column "hours";`);
  }
}
