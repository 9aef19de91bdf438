import { watchParent } from './parent-watch.ts';

describe(watchParent.name, () => {
  const until = async (probe: () => boolean) => {
    const deadline = Date.now() + 2_000;
    while (!probe() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 5));
  };

  it('when the parent stays, never calls back', async () => {
    const onGone = jest.fn();
    const stop = watchParent(onGone, { intervalMs: 5, ppid: () => 42 });
    await new Promise((done) => setTimeout(done, 50));
    stop();
    expect(onGone).not.toHaveBeenCalled();
  });

  it('when the process is re-parented, calls back once', async () => {
    let ppid = 42;
    const onGone = jest.fn();
    const stop = watchParent(onGone, { intervalMs: 5, ppid: () => ppid });
    ppid = 1;
    await until(() => onGone.mock.calls.length > 0);
    await new Promise((done) => setTimeout(done, 30));
    stop();
    expect(onGone).toHaveBeenCalledTimes(1);
  });

  it('when the parent ended before the watch began, calls back at the first check', async () => {
    const onGone = jest.fn();
    const stop = watchParent(onGone, { intervalMs: 5, ppid: () => 1, parent: 42 });
    await until(() => onGone.mock.calls.length > 0);
    stop();
    expect(onGone).toHaveBeenCalledTimes(1);
  });
});
