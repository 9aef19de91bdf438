import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { manualClock, postReadings, readingBody } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

describe('readings routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('audit log', () => {
    it('when readings are read, logs who read whose data with which operation and outcome, and no glucose values', async () => {
      await postReadings(api, 'audited', [readingBody('2026-02-02T00:00:00.000Z', 287, { trend_direction: 'falling_rapidly' })]);
      const admin = await api.token('auditor', ['readings:read', 'admin']);
      const own = await api.call('GET', '/v1/users/audited/readings', { token: await api.token('audited'), headers: { 'x-request-id': 'audit-own-1' } });
      const byAdmin = await api.call('GET', '/v1/users/audited/readings/latest', { token: admin, headers: { 'x-request-id': 'audit-admin-1' } });
      expect([own.status, byAdmin.status]).toEqual([200, 200]);
      expect(own.headers.get('x-request-id')).toBe('audit-own-1');

      const audit = api.logs().filter((line) => line['component'] === 'audit');
      const ownLine = audit.find((line) => line['request_id'] === 'audit-own-1');
      const adminLine = audit.find((line) => line['request_id'] === 'audit-admin-1');
      expect(ownLine).toMatchObject({ actor: 'audited', action: 'listReadings', subject: 'audited', status: 200 });
      expect(adminLine).toMatchObject({ actor: 'auditor', action: 'latestReading', subject: 'audited', status: 200 });
      const allowed = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'component', 'request_id', 'actor', 'action', 'subject', 'status']);
      for (const line of [ownLine, adminLine]) expect(Object.keys(line ?? {}).filter((key) => !allowed.has(key))).toEqual([]);
      const text = api.logText();
      expect(text).not.toMatch(/glucose_value|falling_rapidly|SN-0001/);
    });

    it('when a request is rejected by validation, the audit line records its status', async () => {
      await api.call('GET', '/v1/users/audited/readings?limit=0', { token: await api.token('audited'), headers: { 'x-request-id': 'audit-bad-1' } });
      expect(api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === 'audit-bad-1')).toMatchObject({
        actor: 'audited',
        action: 'listReadings',
        status: 400,
      });
    });

    it('when a call is refused (no token, another user), the audit line records the attempt', async () => {
      await api.call('GET', '/v1/users/audited/readings', { headers: { 'x-request-id': 'audit-401' } });
      await api.call('GET', '/v1/users/audited/readings', { token: await api.token('mallory'), headers: { 'x-request-id': 'audit-403' } });
      const audit = (id: string) => api.logs().find((line) => line['component'] === 'audit' && line['request_id'] === id);
      expect(audit('audit-401')).toMatchObject({ action: 'listReadings', subject: 'audited', status: 401 });
      expect(audit('audit-401')?.['actor']).toBeUndefined();
      expect(audit('audit-403')).toMatchObject({ actor: 'mallory', action: 'listReadings', subject: 'audited', status: 403 });
    });
  });
});
