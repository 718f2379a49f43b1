/**
 * Reads until `accept` takes the value or `timeoutMs` (10 s) pass, every 50 ms; returns the
 * last value read, for the test's own assertion to report (a timeout is not a failure by
 * itself).
 */
export async function until<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
