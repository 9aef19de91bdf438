import { benchCleanups } from './cleanups.ts';

describe('cleanups', () => {
  describe('.benchCleanups().run', () => {
    const exitCode = process.exitCode;
    afterEach(() => {
      process.exitCode = exitCode;
    });

    it('when main succeeds, runs every stop after it, the last registered first, and leaves the exit code', async () => {
      const order: string[] = [];
      const cleanups = benchCleanups();
      cleanups.push(() => void order.push('first'));
      cleanups.push(() => void order.push('second'));
      await cleanups.run(async () => {
        order.push('main');
      });
      expect([order, process.exitCode]).toEqual([['main', 'second', 'first'], exitCode]);
    });

    it('when main throws, prints the error, sets exit code 1 and still runs every stop', async () => {
      const order: string[] = [];
      const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const cleanups = benchCleanups();
      cleanups.push(() => void order.push('stop'));
      const failure = new Error('seeding answered 500');
      await cleanups.run(async () => {
        throw failure;
      });
      expect([order, process.exitCode, printed.mock.calls]).toEqual([['stop'], 1, [[failure]]]);
      printed.mockRestore();
    });
  });
});
