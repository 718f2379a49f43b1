import { Migration } from '@mikro-orm/migrations';

export class Migration20261121185656_demo extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user" drop constraint if exists "app_user_role_check";`);

    this.addSql(`alter table "tenant" add column "is_demo" boolean not null default false;`);

    this.addSql(`alter table "facebook_page" add column "sandbox" boolean not null default false;`);

    this.addSql(
      `alter table "app_user" add constraint "app_user_role_check" check("role" in ('admin', 'operator', 'reviewer'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop constraint if exists "app_user_role_check";`);

    this.addSql(
      `alter table "app_user" add constraint "app_user_role_check" check("role" in ('admin', 'operator'));`,
    );

    this.addSql(`alter table "facebook_page" drop column "sandbox";`);

    this.addSql(`alter table "tenant" drop column "is_demo";`);
  }
}
