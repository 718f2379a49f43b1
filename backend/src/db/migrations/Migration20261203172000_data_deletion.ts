import { Migration } from '@mikro-orm/migrations';

/**
 * Data deletion: the tenant's privacy contact (shown on its public data-deletion page), the
 * mark of an erased visitor's anonymous stand-in, and the requests Facebook sent on a
 * person's behalf (only their confirmation codes: Omni keeps no id of the person).
 */
export class Migration20261203172000_data_deletion extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "data_deletion_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "confirmation_code" varchar(64) not null, constraint "data_deletion_request_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "data_deletion_request_tenant_id_index" on "data_deletion_request" ("tenant_id");`,
    );
    this.addSql(
      `alter table "data_deletion_request" add constraint "data_deletion_request_confirmation_code_unique" unique ("confirmation_code");`,
    );
    this.addSql(
      `alter table "data_deletion_request" add constraint "data_deletion_request_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`alter table "tenant" add column "privacy_contact" varchar(320) null;`);
    this.addSql(`alter table "contact" add column "erased_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "data_deletion_request" cascade;`);
    this.addSql(`alter table "contact" drop column "erased_at";`);
    this.addSql(`alter table "tenant" drop column "privacy_contact";`);
  }
}
