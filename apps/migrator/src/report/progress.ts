import { SingleBar, Presets } from 'cli-progress';

/** Progress of a long run: a bar on a terminal, nothing otherwise (pipes, CI, --json). */
export interface Progress {
  increment(count: number): void;
  stop(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return { increment: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} {value} records | {rate}/s | {duration_formatted}`, stream, hideCursor: true },
    Presets.shades_classic,
  );
  const started = Date.now();
  let done = 0;
  bar.start(0, 0, { rate: 0 });
  return {
    increment(count) {
      done += count;
      bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1_000)) });
    },
    stop: () => bar.stop(),
  };
}
