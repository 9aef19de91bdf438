import type { Item } from '@vitals/dynamodb-core';
import { DynamoDBService } from '@vitals/dynamodb-core';
import { providerConnectionEntity, userTokenEntity, type SyncJob } from '@vitals/models';
import type { Container } from 'inversify';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { rejectionOf } from '../test-support/sync-jobs.ts';
import { tokens } from '../test-support/user-tokens.ts';
import { SyncJobRepository } from '../sync-job/sync-job.repository.ts';
import { syncJobRetryDelayMs } from '../sync-job/sync-job.backoff.ts';
import { UserTokenRepository } from '../user-token/user-token.repository.ts';
import { ConnectionService } from './connection.service.ts';

const T0 = '2026-12-05T10:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SCHEDULE = { interval_ms: 5 * MINUTE, overlap_ms: 3 * HOUR, backfill_days: 90, max_attempts: 3 };
const NONCE = 'nonce-0123456789abcdef';
const at = (ms: number, from = T0) => new Date(Date.parse(from) + ms).toISOString();

describe(ConnectionService.name, () => {
  let container: Container;
  let clock: ReturnType<typeof manualClock>;
  let service: ConnectionService;
  let jobs: SyncJobRepository;
  let tokenRepository: UserTokenRepository;
  let prefix: string;

  beforeEach(async () => {
    clock = manualClock(T0);
    const built = await testContainer({ sync_job_retention_days: 7, sync_schedule: SCHEDULE }, { clock });
    ({ container } = built);
    prefix = built.settings.table_prefix;
    service = container.get(ConnectionService);
    jobs = container.get(SyncJobRepository);
    tokenRepository = container.get(UserTokenRepository);
  });
  afterEach(() => container.unbindAll());

  const raw = async (table: string, key: Item) => container.get(DynamoDBService).items.getItem({ tableName: `${prefix}${table}`, key, consistentRead: true });
  const claimed = async (job: SyncJob, owner = 'worker-a') => {
    const running = await jobs.claim(job.job_id, owner, 5 * MINUTE);
    if (running === undefined) throw new Error('setup: the job could not be claimed');
    return running;
  };
  const connected = async (user = 'alice') => (await service.connect(user, 'dexcom', tokens())).job;

  describe('authorization', () => {
    it('when a begun authorization is consumed with its nonce, works once; a second use is a conflict saying so', async () => {
      await service.beginAuthorization('alice', 'dexcom', NONCE, new Date(at(10 * MINUTE)));
      expect(await service.get('alice', 'dexcom')).toMatchObject({ status: 'pending', version: 1 });
      await service.consumeAuthorization('alice', 'dexcom', NONCE);
      const reused = await rejectionOf(service.consumeAuthorization('alice', 'dexcom', NONCE), 'repository.conflict');
      expect(reused.message).toContain('already used');
    });

    it('when the nonce is stored, only its SHA-256 is', async () => {
      await service.beginAuthorization('alice', 'dexcom', NONCE, new Date(at(10 * MINUTE)));
      const stored = await raw(providerConnectionEntity.table.name, { user_id: 'alice', provider: 'dexcom' });
      expect(JSON.stringify(stored)).not.toContain(NONCE);
      expect(stored?.['authorization']).toMatchObject({ nonce_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    });

    it('when a newer authorization began, the older nonce is superseded', async () => {
      await service.beginAuthorization('alice', 'dexcom', NONCE, new Date(at(10 * MINUTE)));
      await service.beginAuthorization('alice', 'dexcom', `${NONCE}-2`, new Date(at(10 * MINUTE)));
      expect((await rejectionOf(service.consumeAuthorization('alice', 'dexcom', NONCE), 'repository.conflict')).message).toContain('superseded');
      await service.consumeAuthorization('alice', 'dexcom', `${NONCE}-2`);
    });

    it('when the authorization expired, or none was begun, the consume is a conflict and nothing changes', async () => {
      await service.beginAuthorization('alice', 'dexcom', NONCE, new Date(at(10 * MINUTE)));
      clock.advance(10 * MINUTE);
      expect((await rejectionOf(service.consumeAuthorization('alice', 'dexcom', NONCE), 'repository.conflict')).message).toContain('expired');
      expect((await service.get('alice', 'dexcom'))?.authorization).toBeDefined();
      await rejectionOf(service.consumeAuthorization('bob', 'dexcom', NONCE), 'repository.conflict');
      expect(await service.get('bob', 'dexcom')).toBeUndefined();
    });
  });

  describe('.connect', () => {
    it('when connecting, seals the tokens, marks the connection connected and schedules a 90-day backfill due now', async () => {
      const set = tokens();
      const { connection, job } = await service.connect('alice', 'dexcom', set);
      expect(job).toMatchObject({ user_id: 'alice', provider: 'dexcom', status: 'pending', scheduled_at: T0, window_start: at(-90 * DAY), window_end: T0, max_attempts: 3 });
      expect(connection).toMatchObject({ status: 'connected', connected_at: T0, next_job_id: job.job_id, next_run_at: T0 });
      expect(await service.get('alice', 'dexcom')).toEqual(connection);
      expect(await jobs.get(job.job_id)).toEqual(job);
      const stored = JSON.stringify(await raw(userTokenEntity.table.name, { user_id: 'alice', provider: 'dexcom' }));
      expect(stored).not.toContain(set.access_token);
      expect(stored).not.toContain(set.refresh_token);
      expect((await tokenRepository.get('alice', 'dexcom'))?.refresh_token).toBe(set.refresh_token);
    });

    it('when two callbacks connect one user at once, one connection stands whole: its tokens, its one pending job', async () => {
      const sets = [tokens(), tokens()];
      const outcomes = await Promise.allSettled(sets.map((set) => service.connect('alice', 'dexcom', set)));
      // Truly at once, one transaction loses (a conflict); one after the other, the second reconnects. Either way:
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'repository.conflict' });
      }
      const connection = await service.get('alice', 'dexcom');
      const standing = outcomes.findIndex((outcome) => outcome.status === 'fulfilled' && outcome.value.job.job_id === connection?.next_job_id);
      expect(standing).toBeGreaterThanOrEqual(0);
      expect((await tokenRepository.get('alice', 'dexcom'))?.refresh_token).toBe(sets[standing]?.refresh_token);
      const open = (await jobs.listByUser('alice')).items.filter((job) => job.status === 'pending');
      expect(open.map((job) => job.job_id)).toEqual([connection?.next_job_id]);
    });

    it('when reconnecting, cancels the earlier schedule and keeps what was synced before', async () => {
      const first = await claimed(await connected());
      await service.completeRun(first, 'worker-a', { records_synced: 10, newest_reading_at: at(-HOUR) });
      const before = await service.get('alice', 'dexcom');
      clock.advance(HOUR);
      const { connection, job } = await service.connect('alice', 'dexcom', tokens());
      expect((await jobs.get(before?.next_job_id as string))?.status).toBe('cancelled');
      expect(connection).toMatchObject({ newest_reading_at: at(-HOUR), last_sync_at: T0, next_job_id: job.job_id, connected_at: at(HOUR) });
    });
  });

  describe('.completeRun', () => {
    it('when the chained job completes, schedules the next run an interval later with an overlapping window, in the same write', async () => {
      const running = await claimed(await connected());
      clock.advance(2 * MINUTE);
      const { next } = await service.completeRun(running, 'worker-a', { records_synced: 25_000, newest_reading_at: at(-70 * MINUTE) });
      expect(await jobs.get(running.job_id)).toMatchObject({ status: 'completed', records_synced: 25_000 });
      expect(next).toMatchObject({ status: 'pending', scheduled_at: at(7 * MINUTE), window_start: at(-3 * HOUR), window_end: at(7 * MINUTE) });
      expect(await jobs.get(next?.job_id as string)).toEqual(next);
      expect(await service.get('alice', 'dexcom')).toMatchObject({
        last_sync_at: at(2 * MINUTE),
        newest_reading_at: at(-70 * MINUTE),
        synced_through: T0,
        next_job_id: next?.job_id,
        next_run_at: at(7 * MINUTE),
      });
    });

    it('when a run finds nothing newer, keeps the newest reading known; an error of an earlier run is cleared', async () => {
      const first = await claimed(await connected());
      await service.failRun(first, 'worker-a', 'Dexcom unavailable (503)');
      expect((await service.get('alice', 'dexcom'))?.last_error).toBe('Dexcom unavailable (503)');
      clock.advance(syncJobRetryDelayMs(1));
      const retried = await claimed(first);
      await service.completeRun(retried, 'worker-a', { records_synced: 3, newest_reading_at: at(-HOUR) });
      clock.advance(SCHEDULE.interval_ms);
      const next = await claimed((await jobs.get((await service.get('alice', 'dexcom'))?.next_job_id as string)) as SyncJob);
      clock.advance(10 * MINUTE);
      await service.completeRun(next, 'worker-a', { records_synced: 0 });
      const connection = await service.get('alice', 'dexcom');
      expect(connection?.newest_reading_at).toBe(at(-HOUR));
      expect(connection).not.toHaveProperty('last_error');
      expect(connection).not.toHaveProperty('last_error_at');
    });

    it('when a job outside the schedule completes (one a client created), nothing more is scheduled', async () => {
      const chained = await connected();
      const extra = await claimed(await jobs.create('alice', { provider: 'dexcom', window_start: at(-DAY), window_end: T0 }));
      const { next } = await service.completeRun(extra, 'worker-a', { records_synced: 288, newest_reading_at: at(-HOUR) });
      expect(next).toBeUndefined();
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_job_id: chained.job_id, newest_reading_at: at(-HOUR), last_sync_at: T0 });
    });

    it('when the job carries the schedule and brings newer readings, writes its outcome without reading the connection', async () => {
      const running = await claimed(await connected());
      const read = jest.spyOn(service, 'get');
      const { next } = await service.completeRun(running, 'worker-a', { records_synced: 288, newest_reading_at: at(-HOUR) });
      expect(read).not.toHaveBeenCalled();
      read.mockRestore();
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_job_id: next?.job_id, newest_reading_at: at(-HOUR), synced_through: T0 });
    });

    /** The chained job after a first completed run whose newest reading was at(-HOUR), claimed. */
    async function secondRun(): Promise<SyncJob> {
      await service.completeRun(await claimed(await connected()), 'worker-a', { records_synced: 10, newest_reading_at: at(-HOUR) });
      clock.advance(SCHEDULE.interval_ms);
      return claimed((await jobs.get((await service.get('alice', 'dexcom'))?.next_job_id as string)) as SyncJob);
    }

    it('when a run brings only readings older than the newest known, keeps the newer one (planned from the connection as read)', async () => {
      const running = await secondRun();
      const { next } = await service.completeRun(running, 'worker-a', { records_synced: 1, newest_reading_at: at(-2 * HOUR) });
      expect(await service.get('alice', 'dexcom')).toMatchObject({ newest_reading_at: at(-HOUR), next_job_id: next?.job_id });
      expect((await jobs.listByUser('alice')).items.filter((job) => job.status === 'pending').map((job) => job.job_id)).toEqual([next?.job_id]);
    });

    it('when the connection changed after it was read (a new authorization began), writes the run all the same', async () => {
      const running = await secondRun();
      const get = service.get.bind(service);
      let raced = false;
      jest.spyOn(service, 'get').mockImplementation(async (user, provider) => {
        const read = await get(user, provider);
        if (!raced) {
          raced = true;
          await service.beginAuthorization('alice', 'dexcom', NONCE, new Date(at(10 * MINUTE)));
        }
        return read;
      });
      // Older readings than the newest known: the run is planned from the connection as read, and that read is raced.
      const { next } = await service.completeRun(running, 'worker-a', { records_synced: 1, newest_reading_at: at(-2 * HOUR) });
      expect(raced).toBe(true);
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_job_id: next?.job_id, newest_reading_at: at(-HOUR), authorization: expect.any(Object) });
    });

    it('when the user disconnected meanwhile, the run is refused and nothing is scheduled', async () => {
      const running = await claimed(await connected());
      expect(await service.disconnect('alice', 'dexcom')).toEqual({ cancelled_jobs: 1 });
      await rejectionOf(service.completeRun(running, 'worker-a', { records_synced: 5 }), 'repository.invalidTransition');
      expect((await jobs.listByUser('alice')).items.map((job) => job.status)).toEqual(['cancelled']);
      expect(await service.get('alice', 'dexcom')).toBeUndefined();
    });

    it('when another worker took the job over, the run is a conflict and nothing is written', async () => {
      const running = await claimed(await connected());
      clock.advance(6 * MINUTE);
      await claimed(running, 'worker-b');
      await rejectionOf(service.completeRun(running, 'worker-a', { records_synced: 5 }), 'repository.conflict');
      expect((await jobs.listByUser('alice')).items).toHaveLength(1);
    });
  });

  describe('.failRun / .deferRun / .requireReauthorization', () => {
    it('when attempts are left, the job waits out the backoff and the connection shows the error and when it runs next', async () => {
      const running = await claimed(await connected());
      const { next } = await service.failRun(running, 'worker-a', 'Dexcom unavailable (502)');
      expect(next).toBeUndefined();
      const job = (await jobs.get(running.job_id)) as SyncJob;
      expect(job).toMatchObject({ status: 'pending', attempts: 1, scheduled_at: at(syncJobRetryDelayMs(1)), last_error: 'Dexcom unavailable (502)' });
      expect(await service.get('alice', 'dexcom')).toMatchObject({ last_error: 'Dexcom unavailable (502)', last_error_at: T0, next_run_at: job.scheduled_at });
    });

    it('when the last attempt fails, the next regular run takes the failed window over', async () => {
      let job = await connected();
      for (let attempt = 1; attempt < SCHEDULE.max_attempts; attempt++) {
        await service.failRun(await claimed(job), 'worker-a', `failure ${attempt}`);
        job = (await jobs.get(job.job_id)) as SyncJob;
        clock.set(job.scheduled_at);
      }
      const { next } = await service.failRun(await claimed(job), 'worker-a', 'failure 3');
      expect(await jobs.get(job.job_id)).toMatchObject({ status: 'failed', attempts: 3 });
      expect(next).toMatchObject({ status: 'pending', window_start: at(-90 * DAY), scheduled_at: at(5 * MINUTE, clock.now().toISOString()) });
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_job_id: next?.job_id, last_error: 'failure 3' });
    });

    it('when deferred (429), the job is due at the time given and its attempt is given back', async () => {
      const running = await claimed(await connected());
      await service.deferRun(running, 'worker-a', new Date(at(50 * MINUTE)), 'Dexcom rate limit (429), retry after 3000 s');
      expect(await jobs.get(running.job_id)).toMatchObject({ status: 'pending', attempts: 0, scheduled_at: at(50 * MINUTE) });
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_run_at: at(50 * MINUTE), last_error: 'Dexcom rate limit (429), retry after 3000 s' });
    });

    it('when the refresh token is refused, the job fails for good, the connection needs reauthorization and nothing is scheduled', async () => {
      const running = await claimed(await connected());
      await service.requireReauthorization(running, 'worker-a', 'Dexcom refused the refresh token (invalid_grant)');
      expect(await jobs.get(running.job_id)).toMatchObject({ status: 'failed', attempts: 1 });
      const connection = await service.get('alice', 'dexcom');
      expect(connection).toMatchObject({ status: 'reauthorization_required', last_error: 'Dexcom refused the refresh token (invalid_grant)' });
      expect(connection).not.toHaveProperty('next_run_at');
      expect((await jobs.listByUser('alice')).items).toHaveLength(1);
      clock.advance(DAY);
      expect(await service.repairOverdue(0)).toEqual([]);
    });
  });

  describe('.repairOverdue', () => {
    it('when a job failed because its last lease expired (its worker died), schedules one new run from its window; racing repairers make one', async () => {
      let job = await connected();
      for (let attempt = 1; attempt <= SCHEDULE.max_attempts; attempt++) {
        await claimed(job, `worker-${attempt}`);
        clock.advance(6 * MINUTE);
      }
      expect(await jobs.claimDue('worker-z', 5 * MINUTE)).toEqual([]);
      job = (await jobs.get(job.job_id)) as SyncJob;
      expect(job.status).toBe('failed');
      const repaired = (await Promise.all([service.repairOverdue(10 * MINUTE), service.repairOverdue(10 * MINUTE)])).flat();
      expect(repaired).toHaveLength(1);
      expect(repaired[0]).toMatchObject({ status: 'pending', window_start: job.window_start, scheduled_at: clock.now().toISOString() });
      expect(await service.get('alice', 'dexcom')).toMatchObject({ next_job_id: repaired[0]?.job_id });
    });

    it('when the next run is only late (still pending), leaves it alone', async () => {
      await connected();
      clock.advance(DAY);
      expect(await service.repairOverdue(10 * MINUTE)).toEqual([]);
    });
  });

  describe('.disconnect', () => {
    it('when connected, deletes the tokens and the connection and cancels the open jobs; readings are not its business; a second call finds nothing', async () => {
      const job = await connected();
      await jobs.create('alice', { provider: 'dexcom', window_start: at(-DAY), window_end: T0 });
      await jobs.create('alice', { provider: 'libre', window_start: at(-DAY), window_end: T0 });
      expect(await service.disconnect('alice', 'dexcom')).toEqual({ cancelled_jobs: 2 });
      expect(await tokenRepository.get('alice', 'dexcom')).toBeUndefined();
      expect((await jobs.get(job.job_id))?.status).toBe('cancelled');
      expect((await jobs.listByUser('alice')).items.filter((each) => each.provider === 'libre')[0]?.status).toBe('pending');
      expect(await service.disconnect('alice', 'dexcom')).toBeUndefined();
    });
  });
});

describe(`${UserTokenRepository.name}.leaseRefresh`, () => {
  let container: Container;
  let clock: ReturnType<typeof manualClock>;
  let repository: UserTokenRepository;

  beforeEach(async () => {
    clock = manualClock(T0);
    ({ container } = await testContainer({}, { clock }));
    repository = container.get(UserTokenRepository);
  });
  afterEach(() => container.unbindAll());

  it('when two owners race for one version, one gets the set and the other nothing; the save of the new set drops the lease', async () => {
    const stored = await repository.save('alice', 'dexcom', tokens());
    const [a, b] = await Promise.all([
      repository.leaseRefresh('alice', 'dexcom', 'worker-a', stored.version, MINUTE),
      repository.leaseRefresh('alice', 'dexcom', 'worker-b', stored.version, MINUTE),
    ]);
    const winner = a ?? b;
    expect([a, b].filter((leased) => leased !== undefined)).toHaveLength(1);
    expect(winner?.version).toBe(stored.version + 1);
    const fresh = tokens();
    const saved = await repository.save('alice', 'dexcom', fresh, winner?.version);
    const reread = await repository.get('alice', 'dexcom');
    expect(reread).toMatchObject({ refresh_token: fresh.refresh_token, version: saved.version });
    expect(reread).not.toHaveProperty('refresh_lease_owner');
  });

  it('when another owner holds a live lease, refuses even at the current version; once it expired, may take it over', async () => {
    const stored = await repository.save('alice', 'dexcom', tokens());
    const held = await repository.leaseRefresh('alice', 'dexcom', 'worker-a', stored.version, MINUTE);
    expect(await repository.leaseRefresh('alice', 'dexcom', 'worker-b', held?.version as number, MINUTE)).toBeUndefined();
    clock.advance(MINUTE + 1);
    expect(await repository.leaseRefresh('alice', 'dexcom', 'worker-b', held?.version as number, MINUTE)).toMatchObject({ version: stored.version + 2 });
  });

  it('when the set moved past the version read, refuses; an absent set too', async () => {
    const stored = await repository.save('alice', 'dexcom', tokens());
    await repository.save('alice', 'dexcom', tokens());
    expect(await repository.leaseRefresh('alice', 'dexcom', 'worker-a', stored.version, MINUTE)).toBeUndefined();
    expect(await repository.leaseRefresh('bob', 'dexcom', 'worker-a', 1, MINUTE)).toBeUndefined();
  });
});
