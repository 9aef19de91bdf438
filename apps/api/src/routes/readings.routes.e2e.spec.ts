import { startTestApi, type TestApi } from '../test-support/test-api.ts';

describe('readings routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('stores a reading and lists it back', async () => {
    const token = await api.token('alice');
    const stored = await api.call('POST', '/v1/users/alice/readings', {
      token,
      body: { timestamp: '2026-03-01T08:00:00.000Z', glucose_value: 6.5, glucose_unit: 'mmol/L', device_info: { device_id: 'g7', serial_number: 's1' } },
    });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ user_id: 'alice', glucose_value: 117, glucose_unit: 'mg/dL' });
    const listed = await api.call('GET', '/v1/users/alice/readings', { token });
    expect(listed.body).toEqual({ items: [stored.body], next_cursor: null });
  });
});
