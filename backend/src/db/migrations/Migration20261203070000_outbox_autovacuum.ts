import { Migration } from '@mikro-orm/migrations';

/**
 * outbox_entry is a queue: every row is inserted, claimed and deleted within seconds. With
 * the default thresholds (a share of the table's estimated rows) a soak left it at 14.7 MB on
 * disk for 4 live rows. Vacuum and analyse it after a fixed number of changes instead, and
 * without the cost delay: its live rows are always few.
 */
export class Migration20261203070000_outbox_autovacuum extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "outbox_entry" set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000, autovacuum_vacuum_cost_delay = 0);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "outbox_entry" reset (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold, autovacuum_vacuum_cost_delay);`,
    );
  }
}
