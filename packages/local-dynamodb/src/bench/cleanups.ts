/**
 * What a benchmark started, stopped in reverse order — at its end, on a
 * failure, or on Ctrl-C / SIGTERM (then exit 130) — so no server, JVM or
 * client outlives it. A failing cleanup is reported and the others still run.
 */
export interface BenchCleanups {
  /** Registers a stop; the last registered runs first. */
  push(cleanup: () => Promise<unknown> | void): void;
  /** Runs every registered stop once. */
  cleanUp(): Promise<void>;
  /** Runs a benchmark's `main`: a failure is printed and sets exit code 1; every stop runs after it either way. */
  run(main: () => Promise<void>): Promise<void>;
}

export function benchCleanups(): BenchCleanups {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('cleanup failed:', error);
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const run = async (main: () => Promise<void>): Promise<void> => {
    try {
      await main();
    } catch (error) {
      console.error(error);
      process.exitCode = 1;
    } finally {
      await cleanUp();
    }
  };
  return { push: (cleanup) => void cleanups.push(cleanup), cleanUp, run };
}
