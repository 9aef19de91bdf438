/**
 * Runs async tasks with at most `limit` in flight, so a streaming reader
 * keeps writes going while it reads on. The first failure stops new tasks:
 * `add` and `drain` wait for the tasks still running, then throw it.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Starts `task`; resolves once fewer than `limit` tasks are running. */
  async add(task: () => Promise<void>): Promise<void> {
    await this.throwIfFailed();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(running));
    this.running.add(running);
    while (this.running.size >= this.limit) await Promise.race(this.running);
    await this.throwIfFailed();
  }

  /** Waits for every task without throwing: for leaving early (the caller failed) with nothing still writing. */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    await this.throwIfFailed();
  }

  private async throwIfFailed(): Promise<void> {
    if (this.failure === undefined) return;
    await Promise.all(this.running);
    throw this.failure.error;
  }
}
