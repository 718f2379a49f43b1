import { Migration } from '@mikro-orm/migrations';

/**
 * Satisfaction surveys: the tenant's switch and question; on each conversation when the
 * survey was asked for (one per close), and the visitor's answer. The reports read these.
 */
export class Migration20261203150000_csat extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "tenant" add column "csat_enabled" boolean not null default false, add column "csat_question" varchar(640) null;`,
    );
    this.addSql(
      `alter table "conversation" add column "csat_requested_at" timestamptz null, add column "csat_score" smallint null, add column "csat_answered_at" timestamptz null;`,
    );
    // The reports: a tenant's answers in a period.
    this.addSql(
      `create index "conversation_tenant_csat_answered_at_index" on "conversation" ("tenant_id", "csat_answered_at") where "csat_answered_at" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "conversation_tenant_csat_answered_at_index";`);
    this.addSql(
      `alter table "conversation" drop column "csat_requested_at", drop column "csat_score", drop column "csat_answered_at";`,
    );
    this.addSql(`alter table "tenant" drop column "csat_enabled", drop column "csat_question";`);
  }
}
