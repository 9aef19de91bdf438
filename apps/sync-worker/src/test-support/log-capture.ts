import { Writable } from 'node:stream';

/** A log destination that keeps every line written to it. */
export class LogCapture extends Writable {
  private text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }

  /** Each complete line so far. */
  get lines(): string[] {
    return this.text.split('\n').filter((line) => line.length > 0);
  }

  /** The JSON log records so far. */
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** The lines that hold any of `secrets`, as given or URL-encoded. */
export function linesHolding(lines: readonly string[], secrets: readonly string[]): string[] {
  const forms = secrets.flatMap((secret) => [secret, encodeURIComponent(secret)]).filter((form) => form.length >= 8);
  return lines.filter((line) => forms.some((form) => line.includes(form)));
}
