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
