import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { cgmSeries, expectInvalid, itRejectsUnauthorisedCalls, manualClock, postReadings } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');
const SETTLE_MS = 2_000;
const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms).toISOString());

type Change = { kind: 'upsert'; srv_modified: number; reading: { timestamp: string; glucose_value: number } } | { kind: 'delete'; srv_modified: number; timestamp: string };
const brief = (change: Change) => (change.kind === 'upsert' ? `upsert ${change.reading.timestamp} ${change.reading.glucose_value}` : `delete ${change.timestamp}`);

describe('GET /v1/users/{user_id}/readings/changes', () => {
  let api: TestApi;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ clock, env: { READING_CHANGES_SETTLE_MS: String(SETTLE_MS), READING_TOMBSTONE_RETENTION_DAYS: '3' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('when readings are stored, re-sent unchanged, changed and deleted, pages the changes in order and resumes from next_cursor', async () => {
    const user = 'follower-owner';
    const token = await api.token(user);
    const path = `/v1/users/${user}/readings`;
    const series = cgmSeries('2026-03-09T08:00:00.000Z', 5, (i) => 100 + i);
    await postReadings(api, user, series, token);
    advance(1_000);
    await postReadings(api, user, series, token); // unchanged: no change
    await postReadings(api, user, [{ ...series[1], glucose_value: 180 }], token);
    advance(1_000);
    expect((await api.call('DELETE', `${path}/2026-03-09T08:10:00.000Z`, { token })).status).toBe(204);
    advance(SETTLE_MS);

    const seen: string[] = [];
    let since: string | undefined;
    for (let more = true; more; ) {
      const page = await api.call('GET', `${path}/changes?limit=2${since === undefined ? '' : `&since=${since}`}`, { token });
      expect(page.status).toBe(200);
      expect(page.body.changes.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.changes as Change[]).map(brief));
      ({ next_cursor: since, has_more: more } = page.body);
    }
    // The first three were stored in one millisecond: their order among themselves is the index's.
    expect([...seen.slice(0, 3).sort(), ...seen.slice(3)]).toEqual([
      'upsert 2026-03-09T08:00:00.000Z 100',
      'upsert 2026-03-09T08:15:00.000Z 103',
      'upsert 2026-03-09T08:20:00.000Z 104',
      'upsert 2026-03-09T08:05:00.000Z 180',
      'delete 2026-03-09T08:10:00.000Z',
    ]);

    await postReadings(api, user, [{ ...series[0], glucose_value: 90 }], token);
    const unsettled = await api.call('GET', `${path}/changes?since=${since}`, { token });
    expect(unsettled.body).toMatchObject({ changes: [], has_more: false });
    advance(SETTLE_MS);
    const settled = await api.call('GET', `${path}/changes?since=${unsettled.body.next_cursor}`, { token });
    expect((settled.body.changes as Change[]).map(brief)).toEqual(['upsert 2026-03-09T08:00:00.000Z 90']);
  });

  it('when since is not a cursor of this feed, or is older than the tombstone retention, answers 400 at /query/since', async () => {
    const token = await api.token('follower-two');
    const other = await api.token('follower-three');
    expectInvalid(await api.call('GET', '/v1/users/follower-two/readings/changes?since=not-a-cursor', { token }), [{ pointer: '/query/since' }]);
    const { next_cursor: cursor } = (await api.call('GET', '/v1/users/follower-three/readings/changes', { token: other })).body;
    expectInvalid(await api.call('GET', `/v1/users/follower-two/readings/changes?since=${cursor}`, { token }), [
      { pointer: '/query/since', message: /\(foreign\)/ },
    ]);
    advance(4 * 86_400_000);
    expectInvalid(await api.call('GET', `/v1/users/follower-three/readings/changes?since=${cursor}`, { token: other }), [
      { pointer: '/query/since', message: /older than the 3 days deletions are kept/ },
    ]);
    expectInvalid(await api.call('GET', '/v1/users/follower-two/readings/changes?limit=0', { token }), [{ pointer: '/query/limit' }]);
  });

  itRejectsUnauthorisedCalls(getApi, {
    method: 'GET',
    path: '/v1/users/follower-auth/readings/changes',
    user: 'follower-auth',
    scope: 'readings:read',
    otherUserPath: '/v1/users/someone-else/readings/changes',
  });
});
