import { pino, type DestinationStream, type LevelWithSilent } from 'pino';

type LogMethod = (fields: object, message?: string) => void;

/** The pino-compatible logger every Vitals class takes by injection. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Default `info`. */
  level?: LevelWithSilent;
  name?: string;
  /** Default standard output. */
  destination?: DestinationStream;
}

/** The default logger: structured JSON lines through pino. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = { level: options.level ?? 'info', name: options.name };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * Standard output, each line written before the log call returns. pino's
 * default buffers, and at exit flushes what is left synchronously, retrying a
 * write that fails with EPIPE for ever: a process whose output is a pipe from
 * a parent that died (the sync worker under `npm start`) would never end.
 * Written synchronously, nothing is left to flush at exit, and the first
 * EPIPE silences the logger instead.
 */
export function synchronousStandardOutput(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}
