import { Migration } from '@mikro-orm/migrations';

/**
 * Page health: what the last probe found (the app behind the token, the permissions it
 * lacks, when it looked), and incidents: a page that stopped working has one open incident,
 * which PostgreSQL keeps unique, so its admins are mailed once however many probes and
 * failed sends notice it at the same time.
 */
export class Migration20261203132000_page_health extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "facebook_page" add column "app_id" varchar(64) null, add column "missing_permissions" text[] not null default '{}', add column "health_checked_at" timestamptz null;`,
    );
    this.addSql(
      `create table "page_incident" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "page_id" uuid not null, "reason" text not null, "closed_at" timestamptz null, constraint "page_incident_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "page_incident_tenant_id_index" on "page_incident" ("tenant_id");`);
    this.addSql(`create index "page_incident_page_id_index" on "page_incident" ("page_id");`);
    this.addSql(
      `create unique index "page_incident_open_unique" on "page_incident" ("page_id") where "closed_at" is null;`,
    );
    this.addSql(
      `alter table "page_incident" add constraint "page_incident_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "page_incident" add constraint "page_incident_page_id_foreign" foreign key ("page_id") references "facebook_page" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "page_incident" cascade;`);
    this.addSql(
      `alter table "facebook_page" drop column "app_id", drop column "missing_permissions", drop column "health_checked_at";`,
    );
  }
}
