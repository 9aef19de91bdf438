import { DynamoDBItems } from '@vitals/dynamodb-core';
import { userTokenEntity } from '@vitals/models';
import { startTestApi, USER_SCOPES, type TestApi } from '../test-support/test-api.ts';
import { expectInvalid, expectProblem, itRejectsUnauthorisedCalls, manualClock } from '../test-support/route-fixtures.ts';

const clock = manualClock('2026-05-01T10:00:00.000Z');

const ACCESS = 'at-SECRET-9f2c4e7a1b';
const REFRESH = 'rt-SECRET-5d8b0c3e6f';
const tokensBody = (suffix = '') => ({
  access_token: `${ACCESS}${suffix}`,
  refresh_token: `${REFRESH}${suffix}`,
  token_type: 'Bearer',
  scope: 'offline_access egv',
  expires_at: 1_777_777_777,
});

describe('tokens routes', () => {
  let api: TestApi;
  const getApi = () => api;
  beforeAll(async () => {
    // Every log line, down to trace, is kept: none may carry a token.
    api = await startTestApi({ clock, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await api.stop();
  });

  const storedItem = (userId: string, provider: string) =>
    api.container.get(DynamoDBItems).getItem({ tableName: userTokenEntity.tableName(api.config.table_prefix), key: { user_id: userId, provider } });

  describe('PUT /v1/users/{user_id}/tokens/{provider}', () => {
    const user = 'tok-put';
    const path = `/v1/users/${user}/tokens/dexcom`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
    });

    it('when tokens are stored for the first time, answers 201 with ETag "1" and metadata only', async () => {
      clock.set('2026-05-01T10:00:00.000Z');
      const response = await api.call('PUT', path, { token, body: tokensBody() });
      expect(response.status).toBe(201);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(response.body).toEqual({
        user_id: user,
        provider: 'dexcom',
        token_type: 'Bearer',
        scope: 'offline_access egv',
        expires_at: 1_777_777_777,
        created_at: '2026-05-01T10:00:00.000Z',
        updated_at: '2026-05-01T10:00:00.000Z',
        version: 1,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/SECRET/);
    });

    it('when tokens are stored again, answers 200 with ETag "2", keeping created_at', async () => {
      clock.set('2026-05-01T11:00:00.000Z');
      const response = await api.call('PUT', path, { token, body: { ...tokensBody('-2'), scope: '' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('"2"');
      expect(response.body).toEqual({
        user_id: user,
        provider: 'dexcom',
        token_type: 'Bearer',
        scope: '',
        expires_at: 1_777_777_777,
        created_at: '2026-05-01T10:00:00.000Z',
        updated_at: '2026-05-01T11:00:00.000Z',
        version: 2,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/SECRET/);
    });

    it('when the table is read directly, it holds ciphertext and a key id, never the tokens in the clear', async () => {
      const item = await storedItem(user, 'dexcom');
      expect(item).toMatchObject({
        user_id: user,
        provider: 'dexcom',
        version: 2,
        access_token_enc: expect.any(String),
        refresh_token_enc: expect.any(String),
        key_id: expect.any(String),
      });
      expect(item).not.toHaveProperty('access_token');
      expect(item).not.toHaveProperty('refresh_token');
      const text = JSON.stringify(item);
      expect(text).not.toMatch(/SECRET/);
      expect(text).not.toContain(Buffer.from(`${ACCESS}-2`).toString('base64'));
      expect(item?.['access_token_enc']).not.toBe(item?.['refresh_token_enc']);
    });

    it('when If-Match names the stored version, stores and answers the next ETag; a weak ETag works too', async () => {
      const strong = await api.call('PUT', path, { token, body: tokensBody('-3'), headers: { 'if-match': '"2"' } });
      expect([strong.status, strong.headers.get('etag'), strong.body.version]).toEqual([200, '"3"', 3]);
      const weak = await api.call('PUT', path, { token, body: tokensBody('-4'), headers: { 'if-match': 'W/"3"' } });
      expect([weak.status, weak.headers.get('etag'), weak.body.version]).toEqual([200, '"4"', 4]);
    });

    it('when If-Match names another version, answers 412 with the current ETag and keeps what is stored', async () => {
      for (const stale of ['"3"', '"5"']) {
        const response = await api.call('PUT', path, { token, body: tokensBody('-x'), headers: { 'if-match': stale } });
        expectProblem(response, 412, 'preconditionFailed');
        expect(response.headers.get('etag')).toBe('"4"');
        expect(JSON.stringify(response.body)).not.toMatch(/SECRET/);
      }
      const current = await api.call('GET', path, { token });
      expect([current.headers.get('etag'), current.body.version]).toEqual(['"4"', 4]);
    });

    it('when If-Match names a version of tokens that do not exist, answers 412 without an ETag', async () => {
      const response = await api.call('PUT', `/v1/users/${user}/tokens/never-stored`, { token, body: tokensBody(), headers: { 'if-match': '"1"' } });
      expectProblem(response, 412, 'preconditionFailed');
      expect(response.headers.get('etag')).toBeNull();
      expectProblem(await api.call('GET', `/v1/users/${user}/tokens/never-stored`, { token }), 404, 'notFound');
    });

    it('when If-None-Match: * is sent and tokens are stored, answers 412 with the current ETag; for a new provider, 201', async () => {
      const existing = await api.call('PUT', path, { token, body: tokensBody(), headers: { 'if-none-match': '*' } });
      expectProblem(existing, 412, 'preconditionFailed');
      expect(existing.headers.get('etag')).toBe('"4"');
      const fresh = await api.call('PUT', `/v1/users/${user}/tokens/libre`, { token, body: tokensBody(), headers: { 'if-none-match': '*' } });
      expect([fresh.status, fresh.headers.get('etag'), fresh.body.provider]).toEqual([201, '"1"', 'libre']);
    });

    it('when several clients store tokens for a new provider at once, exactly one creates them (201) and every accepted write gets a version of its own', async () => {
      const racers = await Promise.all(
        Array.from({ length: 5 }, (_, index) => api.call('PUT', `/v1/users/${user}/tokens/race`, { token, body: tokensBody(`-r${index}`) })),
      );
      const statuses = racers.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      // A racer that read the winner's version may replace it (200); one that lost a race for a version gets 409.
      expect(statuses.every((status) => [200, 201, 409].includes(status))).toBe(true);
      const stored = statuses.filter((status) => status !== 409).length;
      const versions = racers.filter((response) => response.status !== 409).map((response) => response.body.version as number);
      expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: stored }, (_, index) => index + 1));
      const current = await api.call('GET', `/v1/users/${user}/tokens/race`, { token });
      expect(current.body.version).toBe(stored);
    });

    it('when a conditional header is malformed, answers 400 at that header', async () => {
      for (const ifMatch of ['3', '"0"', '"1", "2"', '*']) {
        expectInvalid(await api.call('PUT', path, { token, body: tokensBody(), headers: { 'if-match': ifMatch } }), [
          { pointer: '/header/If-Match', message: 'must be one version as an ETag, e.g. "3"' },
        ]);
      }
      expectInvalid(await api.call('PUT', path, { token, body: tokensBody(), headers: { 'if-none-match': '"4"' } }), [
        { pointer: '/header/If-None-Match', message: 'only * is supported' },
      ]);
    });

    it('when the body is invalid, answers 400 naming each field without echoing the tokens', async () => {
      const { refresh_token: _left, ...withoutRefresh } = tokensBody();
      const response = await api.call('PUT', path, {
        token,
        body: { ...withoutRefresh, token_type: '', expires_at: -1, id_token: `${ACCESS}-id` },
      });
      expectInvalid(response, [
        { pointer: '/body/refresh_token' },
        { pointer: '/body/token_type' },
        { pointer: '/body/expires_at' },
        { pointer: '/body/id_token', message: 'is not a known field' },
      ]);
      expect(JSON.stringify(response.body)).not.toMatch(/SECRET/);
      expectInvalid(await api.call('PUT', path, { token, body: [tokensBody()] }), [{ pointer: '/body' }]);
    });

    it('when the provider is not a lowercase name, answers 400 at /path/provider', async () => {
      expectInvalid(await api.call('PUT', `/v1/users/${user}/tokens/Dexcom`, { token, body: tokensBody() }), [
        { pointer: '/path/provider', message: 'must be a lowercase provider name like "dexcom"' },
      ]);
    });

    it("when an admin stores another user's tokens, they are stored for that user", async () => {
      const admin = await api.token('ops', [...USER_SCOPES, 'admin']);
      const response = await api.call('PUT', '/v1/users/tok-admin-target/tokens/dexcom', { token: admin, body: tokensBody() });
      expect([response.status, response.body.user_id]).toEqual([201, 'tok-admin-target']);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'PUT', path, user, scope: 'tokens:write', body: tokensBody(), otherUserPath: '/v1/users/tok-other/tokens/dexcom' });
  });

  describe('GET /v1/users/{user_id}/tokens/{provider}', () => {
    const user = 'tok-get';
    const path = `/v1/users/${user}/tokens/dexcom`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      clock.set('2026-05-02T08:00:00.000Z');
      expect((await api.call('PUT', path, { token, body: tokensBody() })).status).toBe(201);
    });

    it('when tokens are stored, answers their metadata only, with the ETag', async () => {
      const response = await api.call('GET', path, { token });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('"1"');
      expect(response.body).toEqual({
        user_id: user,
        provider: 'dexcom',
        token_type: 'Bearer',
        scope: 'offline_access egv',
        expires_at: 1_777_777_777,
        created_at: '2026-05-02T08:00:00.000Z',
        updated_at: '2026-05-02T08:00:00.000Z',
        version: 1,
      });
    });

    it('when no tokens are stored for the provider, answers 404', async () => {
      const response = await api.call('GET', `/v1/users/${user}/tokens/libre`, { token });
      expectProblem(response, 404, 'notFound');
      expect(response.body.detail).toBe('No tokens are stored for this provider');
    });

    it('when the provider is malformed, answers 400 at /path/provider', async () => {
      expectInvalid(await api.call('GET', `/v1/users/${user}/tokens/${'x'.repeat(65)}`, { token }), [{ pointer: '/path/provider' }]);
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path, user, scope: 'tokens:write', otherUserPath: '/v1/users/tok-put/tokens/dexcom' });
  });

  describe('DELETE /v1/users/{user_id}/tokens/{provider}', () => {
    const user = 'tok-del';
    const path = `/v1/users/${user}/tokens/dexcom`;
    let token: string;
    beforeAll(async () => {
      token = await api.token(user);
      expect((await api.call('PUT', path, { token, body: tokensBody() })).status).toBe(201);
      expect((await api.call('PUT', path, { token, body: tokensBody() })).status).toBe(200);
    });

    it('when If-Match names another version, answers 412 with the current ETag and deletes nothing', async () => {
      const response = await api.call('DELETE', path, { token, headers: { 'if-match': '"1"' } });
      expectProblem(response, 412, 'preconditionFailed');
      expect(response.headers.get('etag')).toBe('"2"');
      expect((await api.call('GET', path, { token })).status).toBe(200);
    });

    it('when If-None-Match is sent, answers 400 at /header/If-None-Match', async () => {
      expectInvalid(await api.call('DELETE', path, { token, headers: { 'if-none-match': '*' } }), [
        { pointer: '/header/If-None-Match', message: 'does not apply to a delete' },
      ]);
      expect((await api.call('GET', path, { token })).status).toBe(200);
    });

    it('when If-Match names the stored version, answers 204; then GET and DELETE answer 404', async () => {
      const deleted = await api.call('DELETE', path, { token, headers: { 'if-match': '"2"' } });
      expect([deleted.status, deleted.body]).toEqual([204, '']);
      expectProblem(await api.call('GET', path, { token }), 404, 'notFound');
      const again = await api.call('DELETE', path, { token });
      expectProblem(again, 404, 'notFound');
      expect(again.body.detail).toBe('No tokens are stored for this provider');
      expect(await storedItem(user, 'dexcom')).toBeUndefined();
    });

    it('when no condition is given, deletes whatever version is stored', async () => {
      const other = `/v1/users/${user}/tokens/libre`;
      await api.call('PUT', other, { token, body: tokensBody() });
      expect((await api.call('DELETE', other, { token })).status).toBe(204);
      expectProblem(await api.call('GET', other, { token }), 404, 'notFound');
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'DELETE', path, user, scope: 'tokens:write', otherUserPath: '/v1/users/tok-get/tokens/dexcom' });
  });

  describe('secrets', () => {
    it('when tokens have been stored, read, refused and deleted, no log line carries a token', async () => {
      const text = api.logText();
      // The suite ran at trace level, so this is every line the API wrote.
      expect(api.logs().length).toBeGreaterThan(50);
      expect(text).not.toMatch(/SECRET/);
      expect(api.logs().some((line) => line['component'] === 'audit' && line['action'] === 'storeTokens')).toBe(true);
    });
  });
});
