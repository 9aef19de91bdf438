import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import {
  cgmSeries,
  expectInvalid,
  expectProblem,
  itRejectsUnauthorisedCalls,
  manualClock,
  postReadings,
} from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

describe('readings routes', () => {
  let api: TestApi;
  const getApi = () => api;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('DELETE /v1/users/{user_id}/readings/{timestamp}', () => {
    const user = 'deleter';
    const path = `/v1/users/${user}/readings`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      await postReadings(api, user, cgmSeries('2026-02-01T08:00:00.000Z', 3, () => 120), token);
    });

    it('when the reading exists, answers 204 and it is gone; deleting it again answers 404', async () => {
      const deleted = await api.call('DELETE', `${path}/2026-02-01T08:05:00.000Z`, { token });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBe('');
      const listed = await api.call('GET', path, { token });
      expect(listed.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(['2026-02-01T08:00:00.000Z', '2026-02-01T08:10:00.000Z']);
      const again = await api.call('DELETE', `${path}/2026-02-01T08:05:00.000Z`, { token });
      expectProblem(again, 404, 'notFound');
      expect(again.body.detail).toBe('No reading at this timestamp');
    });

    it('when the timestamp carries an offset, deletes the reading at the instant it names', async () => {
      const deleted = await api.call('DELETE', `${path}/${encodeURIComponent('2026-02-01T09:10:00+01:00')}`, { token });
      expect(deleted.status).toBe(204);
      const listed = await api.call('GET', path, { token });
      expect(listed.body.items.map((reading: { timestamp: string }) => reading.timestamp)).toEqual(['2026-02-01T08:00:00.000Z']);
    });

    it('when the timestamp is not an instant, answers 400 at /path/timestamp', async () => {
      expectInvalid(await api.call('DELETE', `${path}/2026-02-01`, { token }), [{ pointer: '/path/timestamp' }]);
      expectInvalid(await api.call('DELETE', `${path}/2026-02-30T08:00:00Z`, { token }), [{ pointer: '/path/timestamp' }]);
    });

    itRejectsUnauthorisedCalls(getApi, {
      method: 'DELETE',
      path: `${path}/2026-02-01T08:00:00.000Z`,
      user,
      scope: 'readings:write',
      otherUserPath: '/v1/users/pager/readings/2026-01-01T00:00:00.000Z',
    });
  });
});
