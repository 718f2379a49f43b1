import { Migration } from '@mikro-orm/migrations';

/** Invitations by e-mail: the link's token is stored as its SHA-256 (and the nonce it comes from). */
export class Migration20261203120000_invitations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "invitation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "tenant_id" uuid not null, "email" varchar(254) not null, "name" varchar(120) not null, "role" varchar(32) not null, "invited_by_id" uuid null, "max_chats" int null, "department_ids" jsonb not null, "accepted_at" timestamptz null, "revoked_at" timestamptz null, "token_nonce" varchar(64) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, constraint "invitation_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "invitation_tenant_id_index" on "invitation" ("tenant_id");`);
    this.addSql(
      `alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "app_user" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invitation" cascade;`);
  }
}
