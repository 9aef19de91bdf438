import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { DEVICE, expectInvalid, manualClock, readingBody } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-05-02T12:00:00.000Z');

/* Implausible times are a 400 naming the field, relative to the server's (injected) clock. */
describe('plausible times', () => {
  let api: TestApi;
  let token: string;
  const user = 'plausible';
  const readings = `/v1/users/${user}/readings`;
  const jobs = `/v1/users/${user}/sync-jobs`;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    token = await api.token(user);
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('POST /v1/users/{user_id}/readings', () => {
    it.each([
      ['2099-01-01T00:00:00.000Z', /more than 24 h after the server's time \(2026-05-02T12:00:00\.000Z\)/],
      ['2026-05-03T12:00:00.001Z', /more than 24 h after/],
      ['0000-01-01T00:00:00.000Z', 'must not be before 1980-01-01T00:00:00.000Z'],
      ['1970-01-01T00:00:00.000Z', 'must not be before 1980-01-01T00:00:00.000Z'],
    ])('when a reading is dated %s, answers 400 at /body/timestamp and stores nothing', async (timestamp, message) => {
      expectInvalid(await api.call('POST', readings, { token, body: readingBody(timestamp, 100) }), [{ pointer: '/body/timestamp', message }]);
      expect((await api.call('GET', `${readings}/latest`, { token })).status).toBe(404);
    });

    it('when one reading of an array is in 2099, answers 400 at its index and stores none of them', async () => {
      const body = [readingBody('2026-05-02T11:00:00.000Z', 100), readingBody('2099-01-01T00:00:00.000Z', 110)];
      expectInvalid(await api.call('POST', readings, { token, body }), [{ pointer: '/body/1/timestamp', message: /more than 24 h after/ }]);
      expect((await api.call('GET', readings, { token })).body.items).toEqual([]);
    });

    it('when a reading is less than 24 h ahead of the clock (clock skew), it is stored and becomes latest', async () => {
      const stored = await api.call('POST', readings, { token, body: { timestamp: '2026-05-03T11:59:59.999Z', glucose_value: 120, device_info: DEVICE } });
      expect(stored.status).toBe(201);
      expect((await api.call('GET', `${readings}/latest`, { token })).body.timestamp).toBe('2026-05-03T11:59:59.999Z');
    });
  });

  describe('POST /v1/users/{user_id}/sync-jobs', () => {
    const window = { window_start: '2026-05-01T00:00:00Z', window_end: '2026-05-02T00:00:00Z' };

    it('when a job is scheduled in 9999, answers 400 at /body/scheduled_at', async () => {
      const response = await api.call('POST', jobs, { token, body: { provider: 'dexcom', ...window, scheduled_at: '9999-12-31T00:00:00Z' } });
      expectInvalid(response, [{ pointer: '/body/scheduled_at', message: /more than 366 days after the server's time/ }]);
    });

    it('when the window ends in 2099 or starts in 1900, answers 400 naming each field', async () => {
      const late = await api.call('POST', jobs, { token, body: { provider: 'dexcom', window_start: '2026-05-01T00:00:00Z', window_end: '2099-01-01T00:00:00Z' } });
      expectInvalid(late, [{ pointer: '/body/window_end', message: /more than 24 h after/ }]);
      const early = await api.call('POST', jobs, { token, body: { provider: 'dexcom', window_start: '1900-01-01T00:00:00Z', window_end: '2026-05-01T00:00:00Z' } });
      expectInvalid(early, [{ pointer: '/body/window_start', message: 'must not be before 1980-01-01T00:00:00.000Z' }]);
    });

    it('when a job is scheduled a month ahead for a past window, it is created', async () => {
      const response = await api.call('POST', jobs, { token, body: { provider: 'dexcom', ...window, scheduled_at: '2026-06-01T00:00:00Z' } });
      expect(response.status).toBe(201);
    });
  });
});
