import { glucoseStatistics, type GlucoseReading } from '@vitals/models';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { cgmSeries, expectInvalid, manualClock, postReadings, walkPages } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-05-10T12:00:00.000Z');

describe('settings routes and the stats route on daily rollups', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('the time zone is UTC until set; a zone that does not exist is a problem naming /body/time_zone', async () => {
    const token = await api.token('settings-user', ['readings:read', 'readings:write']);
    const before = await api.call('GET', '/v1/users/settings-user/settings', { token });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ user_id: 'settings-user', time_zone: 'UTC' });
    expectInvalid(await api.call('PUT', '/v1/users/settings-user/settings', { token, body: { time_zone: 'Mars/Olympus' } }), [
      { pointer: '/body/time_zone', message: 'is not an IANA time zone' },
    ]);
    const saved = await api.call('PUT', '/v1/users/settings-user/settings', { token, body: { time_zone: 'Europe/Berlin' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ user_id: 'settings-user', time_zone: 'Europe/Berlin', version: 1 });
    expect((await api.call('GET', '/v1/users/settings-user/settings', { token })).body).toMatchObject({ time_zone: 'Europe/Berlin', version: 1 });
  });

  it('the report answers in the user\'s zone by default, from rollups, equal to the report from the raw readings', async () => {
    const user = 'rollup-report';
    const token = await api.token(user, ['readings:read', 'readings:write']);
    await api.call('PUT', `/v1/users/${user}/settings`, { token, body: { time_zone: 'America/St_Johns' } });
    // Five days of 5-minute readings, stored in two posts (the later days first), then one reading deleted.
    const series = cgmSeries('2026-05-01T00:00:00.000Z', 5 * 288, (i) => 40 + ((i * 7) % 330));
    await postReadings(api, user, series.slice(700), token);
    await postReadings(api, user, series.slice(0, 700), token);
    const victim = (series[800] as { timestamp: string }).timestamp;
    expect((await api.call('DELETE', `/v1/users/${user}/readings/${victim}`, { token })).status).toBe(204);

    const from = '2026-05-01T07:30:00.000Z';
    const to = '2026-05-05T20:00:00.000Z';
    const response = await api.call('GET', `/v1/users/${user}/readings/stats?from=${from}&to=${to}`, { token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ time_zone: 'America/St_Johns' });
    const stored = (await walkPages<GlucoseReading>(api, `/v1/users/${user}/readings?limit=1000`, token)).items;
    expect(stored).toHaveLength(5 * 288 - 1);
    const expected = glucoseStatistics(stored, { from, to, timeZone: 'America/St_Johns' });
    expect(response.body['count']).toBe(expected.count);
    expect(response.body['mean']).toBeCloseTo(expected.mean as number, 9);
    expect(response.body['sd']).toBeCloseTo(expected.sd as number, 9);
    expect(response.body['hourly']).toEqual(expected.hourly.map((row) => ({ ...row, ...Object.fromEntries(['p5', 'p25', 'p50', 'p75', 'p95'].map((key) => [key, row[key as 'p5'] === null ? null : expect.closeTo(row[key as 'p5'] as number, 9)])) })));
    expect(response.body['episodes']).toEqual(expected.episodes);
  });
});
