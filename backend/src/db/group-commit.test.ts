import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A write that stays in flight until the test lets it finish. */
function controllableWrite() {
  const batches: number[][] = [];
  const finishers: ((error?: Error) => void)[] = [];
  const write = (rows: number[]) => {
    batches.push(rows);
    return new Promise<void>((resolve, reject) =>
      finishers.push((error) => (error ? reject(error) : resolve())),
    );
  };
  const finishNext = async (error?: Error) => {
    await Promise.resolve();
    finishers.shift()?.(error);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { write, batches, finishNext };
}

describe('GroupCommit', () => {
  it("writes a failed batch's rows one by one when a row's content failed it: only that caller is refused", async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>(
      async (rows) => {
        batches.push(rows);
        if (rows.includes(13)) throw new Error('unstorable row');
      },
      { isRowError: (error) => (error as Error).message === 'unstorable row' },
    );
    const first = commit.submit(1);
    const together = [12, 13, 14].map((row) => commit.submit(row));
    await first;
    const settled = await Promise.allSettled(together);

    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
  });

  it('does not retry row by row when the failure is not about a row (the database is down)', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>(
      async (rows) => {
        batches.push(rows);
        if (rows.length > 1) throw new Error('database down');
      },
      { isRowError: (error) => (error as Error).message === 'unstorable row' },
    );
    const first = commit.submit(1);
    const together = [2, 3].map((row) => commit.submit(row));
    await first;
    const settled = await Promise.allSettled(together);
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('writes a lone row at once, and the rows that arrive meanwhile together next', async () => {
    const { write, batches, finishNext } = controllableWrite();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    expect(batches).toEqual([[1]]);
    const rest = [commit.submit(2), commit.submit(3), commit.submit(4)];
    expect(batches).toHaveLength(1);

    await finishNext();
    await first;
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await finishNext();
    await Promise.all(rest);
  });

  it('caps the batch size', async () => {
    const { write, batches, finishNext } = controllableWrite();
    const commit = new GroupCommit(write, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((row) => commit.submit(row));
    for (let i = 0; i < 3; i++) await finishNext();
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('rejects exactly the callers of a failed batch, and goes on with the next', async () => {
    const { write, finishNext } = controllableWrite();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    const second = commit.submit(2);
    await finishNext();
    await expect(first).resolves.toBeUndefined();
    const secondFails = expect(second).rejects.toThrow('database down');
    await finishNext(new Error('database down'));
    await secondFails;

    const third = commit.submit(3);
    await finishNext();
    await expect(third).resolves.toBeUndefined();
  });
});
