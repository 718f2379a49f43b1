/**
 * Work run one after another in the background; `settled()` waits for all of it and then
 * throws the first failure, if any (a failed step does not stop the following ones).
 */
export class PublicationChain {
  private tail: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  add(step: () => Promise<void>): void {
    this.tail = this.tail.then(step).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  async settled(): Promise<void> {
    await this.tail;
    if (this.failure) throw this.failure.error;
  }
}
