import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlTransaction } from '../db/sql.js';
import type { Logger } from '../logger.js';
import { UnreadableSecretError, type SecretBox } from './secret-box.js';

/** A table's sealed columns, each with the purpose its values are bound to (SealContext). */
export type SealedColumns = {
  table: string;
  columns: ReadonlyArray<{ column: string; purpose: string }>;
};

export type ResealReport = {
  /** Rows rewritten with the current key and format. */
  resealed: number;
  /** Values that open with neither key: left as they are, named here (never their content). */
  unreadable: Array<{ table: string; column: string; id: string }>;
};

/**
 * Rewrites every sealed value that is not yet in the current format with the current key
 * (v1 values, values sealed with ENCRYPTION_KEY_PREVIOUS), so that the previous key can be
 * retired. Safe beside a running Omni: rows are taken in batches, each in a short transaction
 * that locks them (`for update`), and a row another process resealed or changed meanwhile is
 * re-read after the lock. Idempotent: a value already current is never selected again.
 */
export async function resealSecrets(options: {
  em: EntityManager;
  secrets: SecretBox;
  tables: readonly SealedColumns[];
  logger: Logger;
  batchSize?: number;
}): Promise<ResealReport> {
  const { em, secrets, tables, logger, batchSize = 100 } = options;
  const report: ResealReport = { resealed: 0, unreadable: [] };
  const prefix = secrets.currentPrefix;
  for (const { table, columns } of tables) {
    const names = columns.map(({ column }) => `"${column}"`);
    const isStale = names.map((name) => `(${name} is not null and not starts_with(${name}, ?))`);
    // Keyset order by id, so an unreadable row is passed over instead of selected forever.
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      // Counted per attempt: sqlTransaction runs the work again after a deadlock.
      const batch = await sqlTransaction(em, async (sql) => {
        // Across tenants: every sealed value is rewritten, whoever's it is.
        const rows = await sql.acrossTenants<Record<string, string | null>>(
          `select id, ${names.join(', ')} from "${table}"
           where id > ? and (${isStale.join(' or ')})
           order by id limit ? for update`,
          [afterId, ...columns.map(() => prefix), batchSize],
        );
        let resealed = 0;
        const unreadable: ResealReport['unreadable'] = [];
        for (const row of rows) {
          const id = row['id']!;
          const values = columns.map(({ column, purpose }) => {
            const sealed = row[column] ?? null;
            if (sealed === null || secrets.isCurrent(sealed)) return sealed;
            try {
              const context = { purpose, rowId: id };
              return secrets.seal(secrets.open(sealed, context), context);
            } catch (error) {
              if (!(error instanceof UnreadableSecretError)) throw error;
              unreadable.push({ table, column, id });
              return sealed;
            }
          });
          if (values.every((value, index) => value === row[columns[index]!.column])) continue;
          const assignments = names.map((name) => `${name} = ?`).join(', ');
          await sql.acrossTenants(`update "${table}" set ${assignments} where id = ?`, [
            ...values,
            id,
          ]);
          resealed++;
        }
        return { lastId: rows.at(-1)?.['id'] ?? null, resealed, unreadable };
      });
      report.resealed += batch.resealed;
      report.unreadable.push(...batch.unreadable);
      // Stops at an empty batch, not a short one: a row resealed meanwhile by another
      // process is left out of a batch without ending the table.
      if (!batch.lastId) break;
      afterId = batch.lastId;
      logger.info({ table, resealed: report.resealed }, 'resealing secrets');
    }
  }
  return report;
}
