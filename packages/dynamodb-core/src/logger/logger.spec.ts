import { createLogger } from './logger.ts';

/** A pino destination that keeps each JSON line it is given, parsed. */
function memoryDestination(): { write: (line: string) => void; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

describe(createLogger.name, () => {
  it('when a child logs, writes one JSON line with its bindings, the fields and the message', () => {
    const destination = memoryDestination();
    createLogger({ destination, name: 'vitals' }).child({ component: 'DynamoDBService' }).info({ table: 'readings', count: 3 }, 'batch done');
    expect(destination.lines).toEqual([
      expect.objectContaining({ level: 30, name: 'vitals', component: 'DynamoDBService', table: 'readings', count: 3, msg: 'batch done' }),
    ]);
  });

  it('when no level is given, drops DEBUG and keeps INFO and above', () => {
    const destination = memoryDestination();
    const logger = createLogger({ destination });
    logger.debug({}, 'hidden');
    logger.info({}, 'shown');
    logger.warn({}, 'warned');
    logger.error({}, 'failed');
    expect(destination.lines.map((line) => line.msg)).toEqual(['shown', 'warned', 'failed']);
  });

  it('when the level is debug, keeps DEBUG too', () => {
    const destination = memoryDestination();
    createLogger({ destination, level: 'debug' }).debug({ operation: 'putItem' }, 'putItem started');
    expect(destination.lines).toEqual([expect.objectContaining({ level: 20, operation: 'putItem', msg: 'putItem started' })]);
  });

  it('when the level is silent, writes nothing', () => {
    const destination = memoryDestination();
    createLogger({ destination, level: 'silent' }).error({}, 'not written');
    expect(destination.lines).toEqual([]);
  });
});
