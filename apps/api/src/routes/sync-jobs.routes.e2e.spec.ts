import { SyncJobRepository } from '@vitals/repositories';
import { startTestApi, USER_SCOPES, type TestApi } from '../test-support/test-api.ts';
import {
  expectInvalid,
  expectPageSizes,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  minutesAfter,
  tamperedCursor,
  walkPages,
} from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-06-01T09:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const jobBody = (extra: Record<string, unknown> = {}) => ({
  provider: 'dexcom',
  window_start: '2026-05-31T00:00:00.000Z',
  window_end: '2026-06-01T00:00:00.000Z',
  ...extra,
});

interface Job {
  job_id: string;
  user_id: string;
  scheduled_at: string;
  status: string;
}

describe('sync-jobs routes', () => {
  let api: TestApi;
  let admin: string;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ clock });
    admin = await api.token('ops', [...USER_SCOPES, 'admin']);
  });
  afterAll(async () => {
    await api.stop();
  });

  async function schedule(userId: string, body: object): Promise<Job> {
    const response = await api.call('POST', `/v1/users/${userId}/sync-jobs`, { token: await api.token(userId), body });
    expect(response.status).toBe(201);
    return response.body as Job;
  }

  describe('POST /v1/users/{user_id}/sync-jobs', () => {
    const user = 'sj-poster';
    const path = `/v1/users/${user}/sync-jobs`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
    });

    it('when a job is scheduled, answers 201 with the pending job and a Location that serves it', async () => {
      clock.set('2026-06-01T09:00:00.000Z');
      const response = await api.call('POST', path, { token, body: jobBody() });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        job_id: expect.stringMatching(UUID),
        user_id: user,
        provider: 'dexcom',
        status: 'pending',
        scheduled_at: '2026-06-01T09:00:00.000Z',
        window_start: '2026-05-31T00:00:00.000Z',
        window_end: '2026-06-01T00:00:00.000Z',
        attempts: 0,
        max_attempts: 3,
        records_synced: 0,
        created_at: '2026-06-01T09:00:00.000Z',
        updated_at: '2026-06-01T09:00:00.000Z',
        version: 1,
      });
      const location = response.headers.get('location');
      expect(location).toBe(`/v1/sync-jobs/${response.body.job_id}`);
      const fetched = await api.call('GET', location as string, { token });
      expect([fetched.status, fetched.body]).toEqual([200, response.body]);
    });

    it('when scheduled_at and max_attempts are given, keeps them; every job gets its own id', async () => {
      const first = await api.call('POST', path, { token, body: jobBody({ scheduled_at: '2026-07-01T00:00:00.000Z', max_attempts: 10 }) });
      const second = await api.call('POST', path, { token, body: jobBody({ scheduled_at: '2026-07-01T00:00:00.000Z', max_attempts: 10 }) });
      expect(first.body).toMatchObject({ scheduled_at: '2026-07-01T00:00:00.000Z', max_attempts: 10, status: 'pending' });
      expect(second.body.job_id).not.toBe(first.body.job_id);
    });

    it('when the window is empty or reversed, answers 400 at /body/window_end', async () => {
      for (const window_end of ['2026-05-31T00:00:00.000Z', '2026-05-30T00:00:00.000Z']) {
        expectInvalid(await api.call('POST', path, { token, body: jobBody({ window_end }) }), [
          { pointer: '/body/window_end', message: 'must be after window_start' },
        ]);
      }
    });

    it('when fields are missing, malformed or unknown, answers 400 naming each and schedules nothing', async () => {
      const before = (await api.call('GET', path, { token })).body.items.length as number;
      const response = await api.call('POST', path, {
        token,
        body: { provider: 'Dex Com', scheduled_at: '2026-06-01', window_start: '2026-05-31T00:00:00.000Z', max_attempts: 0, status: 'running', job_id: 'mine' },
      });
      expectInvalid(response, [
        { pointer: '/body/provider' },
        { pointer: '/body/scheduled_at' },
        { pointer: '/body/window_end' },
        { pointer: '/body/max_attempts' },
        { pointer: '/body/status', message: 'is not a known field' },
        { pointer: '/body/job_id', message: 'is not a known field' },
      ]);
      expectInvalid(await api.call('POST', path, { token, body: jobBody({ max_attempts: 101 }) }), [{ pointer: '/body/max_attempts' }]);
      expect((await api.call('GET', path, { token })).body.items).toHaveLength(before);
    });

    it("when an admin schedules a job for a user, the job is that user's", async () => {
      const response = await api.call('POST', '/v1/users/sj-admin-target/sync-jobs', { token: admin, body: jobBody() });
      expect([response.status, response.body.user_id]).toEqual([201, 'sj-admin-target']);
      const owner = await api.call('GET', `/v1/sync-jobs/${response.body.job_id}`, { token: await api.token('sj-admin-target') });
      expect(owner.status).toBe(200);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'POST', path, user, scope: 'sync:write', body: jobBody(), otherUserPath: '/v1/users/sj-other/sync-jobs' });
  });

  describe('GET /v1/sync-jobs/{job_id}', () => {
    let job: Job;
    beforeAll(async () => {
      job = await schedule('sj-owner', jobBody());
    });

    it('when the owner asks, answers 200 with the job', async () => {
      const response = await api.call('GET', `/v1/sync-jobs/${job.job_id}`, { token: await api.token('sj-owner') });
      expect([response.status, response.body]).toEqual([200, job]);
    });

    it('when another non-admin user asks, answers 404 exactly like a job that does not exist', async () => {
      const stranger = await api.token('sj-stranger');
      const foreign = await api.call('GET', `/v1/sync-jobs/${job.job_id}`, { token: stranger });
      const missing = await api.call('GET', '/v1/sync-jobs/00000000-0000-4000-8000-000000000000', { token: stranger });
      expectProblem(foreign, 404, 'notFound');
      expectProblem(missing, 404, 'notFound');
      const { request_id: _foreignId, ...foreignBody } = foreign.body;
      const { request_id: _missingId, ...missingBody } = missing.body;
      expect(foreignBody).toEqual(missingBody);
      expect(foreignBody.detail).toBe('No sync job has this id');
      expect(JSON.stringify(foreign.body)).not.toContain('sj-owner');
    });

    it("when an admin asks, answers 200 and the audit line names the job's owner", async () => {
      const response = await api.call('GET', `/v1/sync-jobs/${job.job_id}`, { token: admin, headers: { 'x-request-id': 'sj-admin-read' } });
      expect([response.status, response.body]).toEqual([200, job]);
      expect(api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === 'sj-admin-read')).toMatchObject({
        actor: 'ops',
        action: 'getSyncJob',
        subject: 'sj-owner',
        status: 200,
      });
    });

    it('when the id is not a UUID, answers 400 at /path/job_id', async () => {
      expectInvalid(await api.call('GET', '/v1/sync-jobs/not-a-uuid', { token: admin }), [{ pointer: '/path/job_id' }]);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/sync-jobs/00000000-0000-4000-8000-000000000000', user: 'sj-owner', scope: 'sync:read' });
  });

  describe('GET /v1/users/{user_id}/sync-jobs', () => {
    const user = 'sj-lister';
    const path = `/v1/users/${user}/sync-jobs`;
    const COUNT = 23;
    // Scheduled out of order, so the listing's order is the index's, not the order of creation.
    const scheduledAts = Array.from({ length: COUNT }, (_, index) => minutesAfter('2026-06-10T00:00:00.000Z', ((index * 7) % COUNT) * 60));
    let token: string;
    let jobs: Job[];
    beforeAll(async () => {
      token = await api.token(user);
      jobs = [];
      for (const scheduled_at of scheduledAts) jobs.push(await schedule(user, jobBody({ scheduled_at })));
    });

    it('when paging with limit=5, returns every job of the user once, earliest scheduled first', async () => {
      const walk = await walkPages<Job>(api, `${path}?limit=5`, token);
      const expected = [...jobs].sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at));
      expect(walk.items).toEqual(expected);
      expectPageSizes(walk.sizes, COUNT, 5);
    });

    it('when paging with order=desc, returns them latest first', async () => {
      const walk = await walkPages<Job>(api, `${path}?limit=4&order=desc`, token);
      expect(walk.items.map((job) => job.scheduled_at)).toEqual([...scheduledAts].sort().reverse());
    });

    it("when the user has no jobs, answers an empty page; other users' jobs never appear", async () => {
      const response = await api.call('GET', '/v1/users/sj-nobody/sync-jobs', { token: await api.token('sj-nobody') });
      expect([response.status, response.body]).toEqual([200, { items: [], next_cursor: null }]);
    });

    it('when limit, order or a parameter is bad, answers 400 naming each', async () => {
      for (const limit of ['0', '1001', 'abc']) {
        expectInvalid(await api.call('GET', `${path}?limit=${limit}`, { token }), [{ pointer: '/query/limit' }]);
      }
      expectInvalid(await api.call('GET', `${path}?order=newest&status=pending`, { token }), [
        { pointer: '/query/order' },
        { pointer: '/query/status', message: 'is not a known field' },
      ]);
    });

    it('when the cursor is from another query or tampered with, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', `${path}?limit=5`, { token });
      const cursor = first.body.next_cursor as string;
      expectInvalid(await api.call('GET', `${path}?limit=5&order=desc&cursor=${cursor}`, { token }), [{ pointer: '/query/cursor' }]);
      expectInvalid(await api.call('GET', `/v1/users/sj-poster/sync-jobs?limit=5&cursor=${cursor}`, { token: await api.token('sj-poster') }), [{ pointer: '/query/cursor' }]);
      expectInvalid(await api.call('GET', `${path}?limit=5&cursor=${tamperedCursor(cursor)}`, { token }), [{ pointer: '/query/cursor' }]);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path, user, scope: 'sync:read', otherUserPath: '/v1/users/sj-poster/sync-jobs' });
  });

  describe('GET /v1/sync-jobs (admin)', () => {
    // Jobs of 2001, far before anything the other tests schedule, so due_before in 2001 sees only these.
    const due = ['2001-03-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z', '2001-02-01T00:00:00.000Z', '2001-05-01T00:00:00.000Z', '2001-04-01T00:00:00.000Z', '2001-06-01T00:00:00.000Z', '2001-07-01T00:00:00.000Z'];
    let dueJobs: Job[];
    let running: Job;
    let future: Job;
    beforeAll(async () => {
      dueJobs = [];
      for (const [index, scheduled_at] of due.entries()) dueJobs.push(await schedule(index % 2 === 0 ? 'sj-a' : 'sj-b', jobBody({ scheduled_at })));
      running = await schedule('sj-a', jobBody({ scheduled_at: '2001-01-15T00:00:00.000Z' }));
      const claimed = await api.container.get(SyncJobRepository).claim(running.job_id, 'worker-1', 60_000);
      expect(claimed?.status).toBe('running');
      // Not yet due, and within the 366 days a job may be scheduled ahead of the clock.
      future = await schedule('sj-b', jobBody({ scheduled_at: '2027-01-01T00:00:00.000Z' }));
    });

    it("when status=pending and due_before are given, answers every user's due jobs, earliest first, across pages", async () => {
      const walk = await walkPages<Job>(api, '/v1/sync-jobs?status=pending&due_before=2001-12-31T00:00:00.000Z&limit=3', admin);
      expect(walk.items).toEqual([...dueJobs].sort((a, b) => a.scheduled_at.localeCompare(b.scheduled_at)));
      expect(new Set(walk.items.map((job) => job.user_id))).toEqual(new Set(['sj-a', 'sj-b']));
      expectPageSizes(walk.sizes, due.length, 3);
    });

    it('when due_before falls on a scheduled_at, includes that job', async () => {
      const response = await api.call('GET', '/v1/sync-jobs?due_before=2001-02-01T00:00:00.000Z', { token: admin });
      expect(response.body.items.map((job: Job) => job.scheduled_at)).toEqual(['2001-01-01T00:00:00.000Z', '2001-02-01T00:00:00.000Z']);
    });

    it('when neither status nor due_before is given, answers the pending jobs due by now and not the future ones', async () => {
      const walk = await walkPages<Job>(api, '/v1/sync-jobs?limit=1000', admin);
      const ids = walk.items.map((job) => job.job_id);
      for (const job of dueJobs) expect(ids).toContain(job.job_id);
      expect(ids).not.toContain(future.job_id);
      expect(ids).not.toContain(running.job_id);
      expect(walk.items.every((job) => job.status === 'pending' && job.scheduled_at <= new Date().toISOString())).toBe(true);
    });

    it('when status=running, answers the claimed job with its lease', async () => {
      const response = await api.call('GET', '/v1/sync-jobs?status=running', { token: admin });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        expect.objectContaining({ job_id: running.job_id, status: 'running', attempts: 1, lease_owner: 'worker-1', lease_expires_at: expect.any(String) }),
      ]);
    });

    it('when no job is in the status, answers an empty page', async () => {
      const response = await api.call('GET', '/v1/sync-jobs?status=completed', { token: admin });
      expect([response.status, response.body]).toEqual([200, { items: [], next_cursor: null }]);
    });

    it('when a non-admin with every user scope asks, answers 403', async () => {
      const response = await api.call('GET', '/v1/sync-jobs', { token: await api.token('sj-a') });
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toBe('This token lacks the scope admin');
    });

    it('when status, due_before, limit or a parameter is bad, answers 400 naming each', async () => {
      expectInvalid(await api.call('GET', '/v1/sync-jobs?status=done&due_before=tomorrow&limit=0&user_id=sj-a', { token: admin }), [
        { pointer: '/query/status' },
        { pointer: '/query/due_before' },
        { pointer: '/query/limit' },
        { pointer: '/query/user_id', message: 'is not a known field' },
      ]);
    });

    it('when the cursor is from another listing, answers 400 at /query/cursor', async () => {
      const first = await api.call('GET', '/v1/sync-jobs?due_before=2001-12-31T00:00:00.000Z&limit=2', { token: admin });
      const cursor = first.body.next_cursor as string;
      expectInvalid(await api.call('GET', `/v1/sync-jobs?due_before=2001-11-30T00:00:00.000Z&limit=2&cursor=${cursor}`, { token: admin }), [{ pointer: '/query/cursor' }]);
      expectInvalid(await api.call('GET', `/v1/sync-jobs?status=running&limit=2&cursor=${cursor}`, { token: admin }), [{ pointer: '/query/cursor' }]);
      const next = await api.call('GET', `/v1/sync-jobs?due_before=2001-12-31T00:00:00.000Z&limit=2&cursor=${cursor}`, { token: admin });
      expect(next.body.items.map((job: Job) => job.scheduled_at)).toEqual(['2001-03-01T00:00:00.000Z', '2001-04-01T00:00:00.000Z']);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: '/v1/sync-jobs', user: 'ops', scope: 'admin' });
  });
});
