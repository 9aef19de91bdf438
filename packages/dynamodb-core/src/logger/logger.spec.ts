import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createLogger, synchronousStandardOutput } from './logger.ts';

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

describe(synchronousStandardOutput.name, () => {
  // A process that logs to a pipe: once it says it is ready, the test closes the pipe's reading end and lets it go on.
  const script = `
    const { createLogger, synchronousStandardOutput } = await import(${JSON.stringify(join(__dirname, 'logger.ts'))});
    const logger = createLogger({ destination: synchronousStandardOutput() });
    logger.info({}, 'ready');
    process.stdin.once('data', () => {
      logger.info({}, 'one');
      logger.info({}, 'two');
      process.exit(0);
    });
  `;

  it('when the reader of its output is gone, a process that logs two lines and exits ends', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    let output = '';
    await new Promise<void>((ready, failed) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('"msg":"ready"')) ready();
      });
      child.once('exit', () => failed(new Error(`exited before it was ready: ${output}`)));
    });
    child.stdout.destroy();
    child.stdin.write('go\n');
    const outcome = await Promise.race([exited, new Promise((done) => setTimeout(() => done('still running'), 10_000))]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome).toEqual([0, null]);
  });
});
