import { InFlight } from './in-flight.ts';

export interface ChunkedWritesOptions<T> {
  /** A chunk is written once its items weigh this much together. */
  chunkSize: number;
  /** Chunks being written at once while the caller reads on. */
  inFlight: number;
  /** What an item counts for (default 1). */
  weight?: (item: T) => number;
  write: (chunk: T[]) => Promise<void>;
}

/**
 * Collects what a streaming reader produces into chunks and writes them
 * with a few in flight, so reading and writing overlap. The first failed
 * write stops the next `push`; `finish` writes the rest and throws the
 * first failure. Call `settle` in a `finally` so that whatever ends the
 * reading, nothing is left writing.
 */
export class ChunkedWrites<T> {
  private readonly running: InFlight;
  private chunk: T[] = [];
  private weight = 0;

  constructor(private readonly options: ChunkedWritesOptions<T>) {
    this.running = new InFlight(options.inFlight);
  }

  async push(item: T): Promise<void> {
    this.chunk.push(item);
    this.weight += this.options.weight?.(item) ?? 1;
    if (this.weight >= this.options.chunkSize) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.running.drain();
  }

  async settle(): Promise<void> {
    await this.running.settle();
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const chunk = this.chunk;
    this.chunk = [];
    this.weight = 0;
    await this.running.add(() => this.options.write(chunk));
  }
}
