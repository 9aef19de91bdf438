import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import type { Container } from 'inversify';
import { EntityStore } from '../store/entity-store.ts';
import { testContainer } from '../test-support/dynamodb-local.ts';
import { startRequestCounter, type RequestCounter } from '../test-support/request-counter.ts';
import { USER_SETTINGS_CACHE_MS, UserSettingsRepository } from './user-settings.repository.ts';

/** Settings are asked for on every readings write (the rollups' zone): a process reuses what it read for a while. */
describe(UserSettingsRepository.name, () => {
  let counter: RequestCounter;
  let container: Container;
  let other: Container;
  let settings: UserSettingsRepository;
  let elsewhere: UserSettingsRepository;

  beforeAll(async () => {
    counter = await startRequestCounter(testDynamoDBEndpoint());
    const built = await testContainer({}, { endpoint: counter.endpoint });
    container = built.container;
    // Another process on the same tables.
    other = (await testContainer({ table_prefix: built.settings.table_prefix })).container;
    settings = container.get(UserSettingsRepository);
    elsewhere = other.get(UserSettingsRepository);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    container.unbindAll();
    other.unbindAll();
    await counter.close();
  });

  it('when asked without `cached`, reads afresh every time', async () => {
    await settings.get('cache-dave', { cached: true });
    counter.take();
    await settings.get('cache-dave');
    expect(counter.take()).toEqual({ GetItem: 1 });
  });

  it('when asked again soon, answers from what it read, without a request', async () => {
    counter.take();
    expect(await settings.get('cache-alice', { cached: true })).toEqual({ user_id: 'cache-alice', time_zone: 'UTC' });
    expect(await settings.get('cache-alice', { cached: true })).toEqual({ user_id: 'cache-alice', time_zone: 'UTC' });
    expect(counter.take()).toEqual({ GetItem: 1 });
  });

  it('when it saves, answers the saved settings at once', async () => {
    await settings.get('cache-bob', { cached: true });
    await settings.save('cache-bob', { time_zone: 'Europe/Berlin' });
    counter.take();
    expect(await settings.get('cache-bob', { cached: true })).toMatchObject({ time_zone: 'Europe/Berlin', version: 1 });
    expect(counter.take()).toEqual({});
  });

  it('when another process saved, sees it once USER_SETTINGS_CACHE_MS have passed', async () => {
    await settings.get('cache-carol', { cached: true });
    await elsewhere.save('cache-carol', { time_zone: 'Asia/Tokyo' });
    expect((await settings.get('cache-carol', { cached: true })).time_zone).toBe('UTC');
    const now = performance.now();
    jest.spyOn(performance, 'now').mockReturnValue(now + USER_SETTINGS_CACHE_MS);
    expect((await settings.get('cache-carol', { cached: true })).time_zone).toBe('Asia/Tokyo');
  });

  describe('.prime', () => {
    it('reads the settings of many users in one BatchGetItem, and their writes then ask for none', async () => {
      await elsewhere.save('prime-erin', { time_zone: 'Europe/Berlin' });
      counter.take();
      await settings.prime(['prime-erin', 'prime-frank', 'prime-erin']);
      expect(counter.take()).toEqual({ BatchGetItem: 1 });
      expect(await settings.get('prime-erin', { cached: true })).toMatchObject({ time_zone: 'Europe/Berlin', version: 1 });
      expect(await settings.get('prime-frank', { cached: true })).toEqual({ user_id: 'prime-frank', time_zone: 'UTC' });
      expect(counter.take()).toEqual({});
    });

    it('reads nothing for users read in the last USER_SETTINGS_CACHE_MS, and again for the others', async () => {
      await settings.get('prime-gina', { cached: true });
      counter.take();
      await settings.prime(['prime-gina']);
      expect(counter.take()).toEqual({});
      await elsewhere.save('prime-gina', { time_zone: 'Asia/Tokyo' });
      const now = performance.now();
      jest.spyOn(performance, 'now').mockReturnValue(now + USER_SETTINGS_CACHE_MS);
      await settings.prime(['prime-gina']);
      expect(counter.take()).toEqual({ BatchGetItem: 1 });
      expect((await settings.get('prime-gina', { cached: true })).time_zone).toBe('Asia/Tokyo');
    });

    it('keeps what this process saved while the read ahead was on its way', async () => {
      // The read ahead's answer (no settings stored) is held until this process has saved.
      const original = EntityStore.prototype.getManyRaw;
      let release: () => void = () => undefined;
      let read: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const readDone = new Promise<void>((resolve) => (read = resolve));
      jest.spyOn(EntityStore.prototype, 'getManyRaw').mockImplementationOnce(async function (this: EntityStore<unknown>, ...args) {
        const raws = await original.apply(this, args);
        read();
        await held;
        return raws;
      });
      const priming = settings.prime(['prime-hal']);
      // The read found nothing saved; the save comes after it, and its answer arrives after the save.
      await readDone;
      await settings.save('prime-hal', { time_zone: 'America/New_York' });
      release();
      await priming;
      expect(await settings.get('prime-hal', { cached: true })).toMatchObject({ time_zone: 'America/New_York', version: 1 });
    });

    it('refuses a user id that is not one before any request', async () => {
      counter.take();
      await expect(settings.prime(['prime-ivy', ''])).rejects.toMatchObject({ code: 'repository.invalidInput' });
      expect(counter.take()).toEqual({});
    });
  });
});
