/**
 * Group commit: rows submitted while a write is in flight are written together by the next
 * one. Alone, a row is written at once (no added latency); under load the batches grow by
 * themselves, so one statement and one round trip serve many callers. Each caller's promise
 * settles with its batch: resolved once that batch is written, rejected if it failed.
 *
 * One caller's row must not fail the others': when a batch fails with an error that
 * `isRowError` attributes to a row's content (not the database being down), its rows are
 * written again one by one, and only the callers whose own row fails are rejected.
 */
export class GroupCommit<T> {
  private waiting: { row: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly options: { maxBatch?: number; isRowError?: (error: unknown) => boolean } = {},
  ) {}

  submit(row: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch ?? 500);
      try {
        await this.write(batch.map((entry) => entry.row));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        const isolates = batch.length > 1 && (this.options.isRowError?.(error) ?? false);
        if (!isolates) {
          for (const entry of batch) entry.reject(error);
          continue;
        }
        for (const entry of batch) {
          try {
            await this.write([entry.row]);
            entry.resolve();
          } catch (rowError) {
            entry.reject(rowError);
          }
        }
      }
    }
    this.writing = false;
  }
}
