import { startTestApi, type TestApi } from '../test-support/test-api.ts';
import { expectInvalid, expectProblem, manualClock } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-03-10T12:00:00.000Z');

describe('readings routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ clock });
  });
  afterAll(async () => {
    await api.stop();
  });

  describe('errors of any route', () => {
    it('when a route that takes no query parameters gets one, answers 400 naming it', async () => {
      const token = await api.token('alice');
      expectInvalid(await api.call('GET', '/v1/users/alice/readings/latest?limit=5', { token }), [
        { pointer: '/query/limit', message: 'is not a known field' },
      ]);
    });

    it('when the route does not exist, answers 404 problem+json', async () => {
      const token = await api.token('alice');
      for (const [method, path] of [
        ['GET', '/v1/users/alice/glucose'],
        ['GET', '/nope'],
        ['POST', '/v1/users/alice/readings/latest'],
      ] as const) {
        const response = await api.call(method, path, { token });
        expectProblem(response, 404, 'notFound');
        expect(response.body.detail).toBe('No such route');
      }
      expectProblem(await api.call('GET', '/v2/anything'), 404, 'notFound');
    });

    it('when the JSON body is malformed, answers 400 problem+json without echoing it', async () => {
      const response = await api.call('POST', '/v1/users/alice/readings', {
        token: await api.token('alice'),
        rawBody: '{"timestamp": "2026-03-01T08:00:00.000Z", "glucose_value": 1',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(response, 400, 'malformedBody');
      expect(response.body.detail).toBe('The body is not valid JSON');
      expect(JSON.stringify(response.body)).not.toContain('glucose_value');
    });

    it('when the client sends a plain X-Request-Id, echoes it; an unsafe one is replaced', async () => {
      const kept = await api.call('GET', '/v1/users/alice/readings', { token: await api.token('alice'), headers: { 'x-request-id': 'trace-42.a' } });
      expect(kept.headers.get('x-request-id')).toBe('trace-42.a');
      const replaced = await api.call('GET', '/nope', { headers: { 'x-request-id': 'bad id <script>' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(replaced.body.request_id).toBe(replaced.headers.get('x-request-id'));
    });
  });
});
