import { SCOPES } from '../auth/scopes.ts';
import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { DEVICE, expectInvalid, manualClock } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-05-02T12:00:00.000Z');

/*
 * Formats real clients send: RFC 3339 instants with any
 * offset in bodies as in queries and paths, epoch milliseconds for a
 * reading's timestamp, Dexcom and Nightscout trend names, mmol/L messages in
 * mmol/L, and medication queries in any case.
 */
describe('input formats', () => {
  let api: TestApi;
  let token: string;
  let admin: string;
  const user = 'formats';
  const readings = `/v1/users/${user}/readings`;

  beforeAll(async () => {
    api = await startTestApi({ clock });
    token = await api.token(user);
    // The health log has one owner; an admin token reads and writes it whoever that is.
    admin = await api.token('formats-admin', SCOPES);
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('POST /v1/users/{user_id}/readings', () => {
    it('when timestamps carry offsets or are epoch milliseconds, stores them in UTC and finds them by any offset', async () => {
      const body = [
        { timestamp: '2026-05-01T10:00:00+02:00', glucose_value: 100, device_info: DEVICE },
        { timestamp: '2026-05-01T03:05:00-05:00', glucose_value: 101, device_info: DEVICE },
        { timestamp: Date.UTC(2026, 4, 1, 8, 10), glucose_value: 102, device_info: DEVICE },
      ];
      const stored = await api.call('POST', readings, { token, body });
      expect(stored.status).toBe(201);
      expect(stored.body.items.map((item: { timestamp: string }) => item.timestamp)).toEqual([
        '2026-05-01T08:00:00.000Z',
        '2026-05-01T08:05:00.000Z',
        '2026-05-01T08:10:00.000Z',
      ]);
      const listed = await api.call('GET', `${readings}?from=${encodeURIComponent('2026-05-01T10:00:00+02:00')}&to=2026-05-01T08:10:00Z`, { token });
      expect(listed.body.items.map((item: { glucose_value: number }) => item.glucose_value)).toEqual([100, 101, 102]);
      expect((await api.call('DELETE', `${readings}/${encodeURIComponent('2026-05-01T10:10:00+02:00')}`, { token })).status).toBe(204);
    });

    it('when a timestamp has no offset, answers 400 naming the RFC 3339 form', async () => {
      const response = await api.call('POST', readings, { token, body: { timestamp: '2026-05-01T08:00:00', glucose_value: 100, device_info: DEVICE } });
      expectInvalid(response, [{ pointer: '/body/timestamp', message: /RFC 3339/ }]);
    });

    it('when trends are Dexcom v3 or Nightscout names, stores the trend_direction each maps to', async () => {
      const trends = ['doubleUp', 'TripleUp', 'FortyFiveDown', 'flat', 'NOT COMPUTABLE', 'rateOutOfRange', 'TripleDown'];
      const body = trends.map((trend_direction, index) => ({
        timestamp: `2026-05-01T09:0${index}:00Z`,
        glucose_value: 120,
        trend_direction,
        device_info: DEVICE,
      }));
      const stored = await api.call('POST', readings, { token, body });
      expect(stored.status).toBe(201);
      expect(stored.body.items.map((item: { trend_direction: string }) => item.trend_direction)).toEqual([
        'rising_rapidly',
        'rising_rapidly',
        'falling',
        'steady',
        'unknown',
        'unknown',
        'falling_rapidly',
      ]);
    });

    it('when a trend is not a known name, answers 400 at trend_direction', async () => {
      const response = await api.call('POST', readings, {
        token,
        body: { timestamp: '2026-05-01T09:30:00Z', glucose_value: 120, trend_direction: 'Sideways', device_info: DEVICE },
      });
      expectInvalid(response, [{ pointer: '/body/trend_direction' }]);
    });

    it('when a mmol/L value is out of range, the 400 speaks mmol/L', async () => {
      const response = await api.call('POST', readings, {
        token,
        body: { timestamp: '2026-05-01T09:40:00Z', glucose_value: 1.0, glucose_unit: 'mmol/L', device_info: DEVICE },
      });
      expectInvalid(response, [{ pointer: '/body/glucose_value', message: 'must be 1.1..33.3 mmol/L (20..600 mg/dL); 1 mmol/L is 18 mg/dL' }]);
    });
  });

  describe('POST /v1/users/{user_id}/sync-jobs', () => {
    it('when its instants carry offsets, stores them in UTC', async () => {
      const response = await api.call('POST', `/v1/users/${user}/sync-jobs`, {
        token,
        body: { provider: 'dexcom', scheduled_at: '2026-05-02T14:00:00+02:00', window_start: '2026-04-30T02:00:00+02:00', window_end: '2026-05-01T00:00:00Z' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        scheduled_at: '2026-05-02T12:00:00.000Z',
        window_start: '2026-04-30T00:00:00.000Z',
        window_end: '2026-05-01T00:00:00.000Z',
      });
    });
  });

  describe('GET /v1/health/entries?medication=', () => {
    it('when the medication is asked in another case than written, finds every entry listing it, once', async () => {
      const put = (time: string, medications: Record<string, string>) =>
        api.call('PUT', `/v1/health/entries/2026-04-20/${time}`, { token: admin, body: { medications } });
      expect((await put('0800', { Ibuprofen: '400mg', paracetamol: '1g' })).status).toBe(200);
      expect((await put('1200', { aspirin: '100mg', IBUPROFEN: '200mg' })).status).toBe(200);
      expect((await put('1800', { ibuprofen: '400mg' })).status).toBe(200);
      expect((await put('2000', { ibuprofen: '400mg', Ibuprofen: '1' })).status).toBe(200);
      for (const asked of ['ibuprofen', 'Ibuprofen', 'IBUPROFEN', 'iBuPrOfEn']) {
        const found = await api.call('GET', `/v1/health/entries?medication=${asked}&from_date=2026-04-20&to_date=2026-04-20`, { token: admin });
        expect({ asked, times: found.body.items.map((entry: { timestamp: string }) => entry.timestamp).sort() }).toEqual({
          asked,
          times: ['0800', '1200', '1800', '2000'],
        });
      }
      const paracetamol = await api.call('GET', '/v1/health/entries?medication=Paracetamol&from_date=2026-04-20&to_date=2026-04-20', { token: admin });
      expect(paracetamol.body.items.map((entry: { timestamp: string }) => entry.timestamp)).toEqual(['0800']);
    });
  });
});
