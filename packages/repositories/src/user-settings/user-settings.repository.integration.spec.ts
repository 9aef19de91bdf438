import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import type { Container } from 'inversify';
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
});
