import { createHash } from 'node:crypto';
import { SCOPES } from '../auth/scopes.ts';
import { expectInvalid, expectProblem, itRejectsUnauthorisedCalls, manualClock } from '../test-support/route-fixtures.ts';
import { startTestApi, USER_SCOPES, type ApiResponse, type TestApi } from '../test-support/test-api.ts';

const clock = manualClock('2026-12-01T10:00:00.000Z');
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const VAT = /^vat_[A-Za-z0-9_-]{43}$/;

describe('access-tokens routes', () => {
  let api: TestApi;
  const getApi = () => api;
  /** Every token text the suite was given, to search for in later answers and the log. */
  const issued: string[] = [];
  const answers: ApiResponse[] = [];

  const create = async (userId: string, body: unknown, token: string) => {
    const response = await api.call('POST', `/v1/users/${userId}/access-tokens`, { token, body });
    if (response.status === 201) issued.push(response.body.token);
    return response;
  };
  const call = async (...args: Parameters<TestApi['call']>) => {
    const response = await api.call(...args);
    answers.push(response);
    return response;
  };

  beforeAll(async () => {
    api = await startTestApi({ clock, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await api.stop();
  });
  beforeEach(() => clock.set('2026-12-01T10:00:00.000Z'));

  describe('POST /v1/users/{user_id}/access-tokens', () => {
    const user = 'pat-post';

    it('when the user creates a token, answers 201 with the token once beside its metadata, and it works as a Bearer token', async () => {
      const response = await create(user, { name: ' Mum ', scopes: ['readings:read'], expires_at: '2027-06-01T00:00:00+02:00' }, await api.token(user));
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        token: expect.stringMatching(VAT),
        token_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        user_id: user,
        name: 'Mum',
        scopes: ['readings:read'],
        created_at: '2026-12-01T10:00:00.000Z',
        expires_at: '2027-05-31T22:00:00.000Z',
        last_used_at: null,
      });
      const read = await call('GET', `/v1/users/${user}/readings`, { token: response.body.token });
      expect(read.status).toBe(200);
      // Read-only: the caregiver's token cannot write.
      expectProblem(await call('POST', `/v1/users/${user}/readings`, { token: response.body.token, body: { timestamp: '2026-12-01T09:00:00Z', glucose_value: 100, device_info: { device_id: 'g7', serial_number: 'S' } } }), 403, 'forbidden');
    });

    it('when the caller asks for a scope it lacks, answers 403 naming it and creates nothing', async () => {
      const response = await create(user, { name: 'more', scopes: ['readings:read', 'admin'] }, await api.token(user, ['tokens:write', 'readings:read']));
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toBe('A token may grant only scopes it holds itself; this one lacks admin');
      const narrower = await create(user, { name: 'more', scopes: ['health:read'] }, await api.token(user, ['tokens:write', 'readings:read']));
      expect(narrower.body.detail).toBe('A token may grant only scopes it holds itself; this one lacks health:read');
      const listed = await call('GET', `/v1/users/${user}/access-tokens`, { token: await api.token(user) });
      expect(listed.body.items.map((item: { name: string }) => item.name)).not.toContain('more');
    });

    it('when an admin creates one for a user, any scope may be granted, admin included', async () => {
      const response = await create('pat-admin-made', { name: 'operator', scopes: ['admin', 'readings:read'] }, await api.token('ops', SCOPES));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ user_id: 'pat-admin-made', scopes: ['admin', 'readings:read'], expires_at: null });
      expect((await call('GET', '/v1/users/someone-else/readings', { token: response.body.token })).status).toBe(200);
    });

    it('when the caller holds an expiring access token, a new token may not outlive it', async () => {
      const parent = await create(user, { name: 'parent', scopes: ['tokens:write', 'readings:read'], expires_at: '2027-01-01T00:00:00Z' }, await api.token(user));
      const forever = await create(user, { name: 'child', scopes: ['readings:read'] }, parent.body.token);
      expectProblem(forever, 403, 'forbidden');
      expect(forever.body.detail).toBe('A token created with an access token may not outlive it: give an expires_at no later than 2027-01-01T00:00:00.000Z');
      expectProblem(await create(user, { name: 'child', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00.001Z' }, parent.body.token), 403, 'forbidden');
      const child = await create(user, { name: 'child', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00Z' }, parent.body.token);
      expect(child.status).toBe(201);
      const lacking = await create(user, { name: 'child', scopes: ['readings:write'], expires_at: '2026-12-24T00:00:00Z' }, parent.body.token);
      expect(lacking.body.detail).toBe('A token may grant only scopes it holds itself; this one lacks readings:write');
    });

    it('when the caller is an access token without tokens:write, answers 403', async () => {
      const reader = await create(user, { name: 'reader', scopes: ['readings:read'] }, await api.token(user));
      const response = await create(user, { name: 'x', scopes: ['readings:read'] }, reader.body.token);
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toBe('This token lacks the scope tokens:write');
    });

    it.each([
      [{ name: '  ', scopes: ['readings:read'] }, [{ pointer: '/body/name', message: 'must not be empty' }]],
      [{ name: 'x', scopes: [] }, [{ pointer: '/body/scopes', message: 'must name at least one scope' }]],
      [{ name: 'x', scopes: ['readings:read', 'readings:read'] }, [{ pointer: '/body/scopes', message: 'must name each scope once' }]],
      [{ name: 'x', scopes: ['readings:delete'] }, [{ pointer: '/body/scopes/0' }]],
      [{ name: 'x', scopes: ['readings:read'], expires_at: 'soon' }, [{ pointer: '/body/expires_at' }]],
      [{ name: 'x', scopes: ['readings:read'], token: `vat_${'A'.repeat(43)}` }, [{ pointer: '/body/token' }]],
      [{ scopes: ['readings:read'] }, [{ pointer: '/body/name' }]],
    ])('when the body is %j, answers 400 pointing at the problem', async (body, issues) => {
      expectInvalid(await create(user, body, await api.token(user)), issues);
    });

    it('when expires_at is not in the future, answers 400 at /body/expires_at with the server time', async () => {
      expectInvalid(await create(user, { name: 'x', scopes: ['readings:read'], expires_at: '2026-12-01T10:00:00Z' }, await api.token(user)), [
        { pointer: '/body/expires_at', message: "must be in the future (the server's time is 2026-12-01T10:00:00.000Z)" },
      ]);
    });

    itRejectsUnauthorisedCalls(getApi, {
      method: 'POST',
      path: `/v1/users/${user}/access-tokens`,
      user,
      scope: 'tokens:write',
      body: { name: 'x', scopes: ['readings:read'] },
      otherUserPath: '/v1/users/pat-someone-else/access-tokens',
    });
  });

  describe('GET /v1/users/{user_id}/access-tokens', () => {
    const user = 'pat-list';

    it("when the user holds tokens, lists their metadata oldest first, never a token or hash, and nobody else's", async () => {
      const jwt = await api.token(user);
      clock.set('2026-12-01T08:00:00.000Z');
      const first = await create(user, { name: 'xDrip+', scopes: ['readings:read', 'readings:write'] }, jwt);
      clock.set('2026-12-01T09:00:00.000Z');
      const second = await create(user, { name: 'Mum', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00Z' }, jwt);
      await create('pat-list-other', { name: 'other', scopes: ['readings:read'] }, await api.token('pat-list-other'));
      await call('GET', `/v1/users/${user}/readings`, { token: second.body.token });
      const response = await call('GET', `/v1/users/${user}/access-tokens`, { token: jwt });
      expect(response.status).toBe(200);
      const { token: _first, ...firstView } = first.body;
      const { token: _second, ...secondView } = second.body;
      expect(response.body).toEqual({ items: [firstView, { ...secondView, last_used_at: '2026-12-01T09:00:00.000Z' }] });
      expect(await call('GET', '/v1/users/pat-list-nobody/access-tokens', { token: await api.token('pat-list-nobody') })).toMatchObject({
        status: 200,
        body: { items: [] },
      });
    });

    itRejectsUnauthorisedCalls(getApi, { method: 'GET', path: `/v1/users/${user}/access-tokens`, user, scope: 'tokens:write', otherUserPath: '/v1/users/pat-someone-else/access-tokens' });
  });

  describe('DELETE /v1/users/{user_id}/access-tokens/{token_id}', () => {
    const user = 'pat-delete';

    it('when the user revokes a token, answers 204, the token fails on the next request, and a second revoke is 404', async () => {
      const jwt = await api.token(user);
      const created = await create(user, { name: 'old phone', scopes: ['readings:read'] }, jwt);
      const path = `/v1/users/${user}/access-tokens/${created.body.token_id}`;
      expect((await call('GET', `/v1/users/${user}/readings`, { token: created.body.token })).status).toBe(200);
      const revoked = await call('DELETE', path, { token: jwt });
      expect(revoked.status).toBe(204);
      expect(revoked.body).toBe('');
      const after = await call('GET', `/v1/users/${user}/readings`, { token: created.body.token });
      expectProblem(after, 401, 'unauthorized');
      expect(after.body.detail).toBe('The access token is invalid, expired or revoked');
      expect(after.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      const again = await call('DELETE', path, { token: jwt });
      expectProblem(again, 404, 'notFound');
      expect(again.body.detail).toBe('This user holds no access token with this id');
    });

    it('when a token revokes itself, that request succeeds and the next one fails', async () => {
      const self = await create(user, { name: 'self', scopes: ['tokens:write'] }, await api.token(user));
      expect((await call('DELETE', `/v1/users/${user}/access-tokens/${self.body.token_id}`, { token: self.body.token })).status).toBe(204);
      expectProblem(await call('GET', `/v1/users/${user}/access-tokens`, { token: self.body.token }), 401, 'unauthorized');
    });

    it("when an admin names another user's token under a user who does not hold it, answers 404 and the token keeps working", async () => {
      const owned = await create('pat-owner', { name: 'mine', scopes: ['readings:read'] }, await api.token('pat-owner'));
      const response = await call('DELETE', `/v1/users/${user}/access-tokens/${owned.body.token_id}`, { token: await api.token('ops', SCOPES) });
      expectProblem(response, 404, 'notFound');
      expect((await call('GET', '/v1/users/pat-owner/readings', { token: owned.body.token })).status).toBe(200);
    });

    it('when the token id is not a UUID, answers 400 at /path/token_id', async () => {
      expectInvalid(await call('DELETE', `/v1/users/${user}/access-tokens/tok-1`, { token: await api.token(user) }), [{ pointer: '/path/token_id' }]);
    });

    itRejectsUnauthorisedCalls(getApi, {
      method: 'DELETE',
      path: `/v1/users/${user}/access-tokens/00000000-0000-7000-8000-000000000000`,
      user,
      scope: 'tokens:write',
      otherUserPath: '/v1/users/pat-someone-else/access-tokens/00000000-0000-7000-8000-000000000000',
    });
  });

  describe('an expired token', () => {
    it('when its expiry passes, is refused from that instant on every route, though still listed', async () => {
      const user = 'pat-expiry';
      const created = await create(user, { name: 'short', scopes: [...USER_SCOPES], expires_at: '2026-12-01T11:00:00Z' }, await api.token(user));
      clock.set('2026-12-01T10:59:59.999Z');
      expect((await call('GET', `/v1/users/${user}/access-tokens`, { token: created.body.token })).status).toBe(200);
      clock.set('2026-12-01T11:00:00.000Z');
      const refused = await call('GET', `/v1/users/${user}/access-tokens`, { token: created.body.token });
      expectProblem(refused, 401, 'unauthorized');
      const listed = await call('GET', `/v1/users/${user}/access-tokens`, { token: await api.token(user) });
      expect(listed.body.items).toEqual([expect.objectContaining({ token_id: created.body.token_id, expires_at: '2026-12-01T11:00:00.000Z' })]);
    });
  });

  describe('secrets', () => {
    it('when tokens were created, used, listed, refused and revoked, no later answer and no log line carries a token, its SHA-1 or its hash', () => {
      expect(issued.length).toBeGreaterThan(8);
      expect(answers.length).toBeGreaterThan(15);
      const answered = JSON.stringify(answers.map((response) => ({ headers: [...response.headers], body: response.body })));
      const logged = api.logText();
      // The suite ran at trace level, so this is every line the API wrote; the audit names tokens by id.
      expect(api.logs().some((line) => line['component'] === 'audit' && typeof line['token_id'] === 'string')).toBe(true);
      for (const token of issued) {
        const hash = createHash('sha256').update(sha1(token)).digest('hex');
        for (const form of [token, token.slice(4), sha1(token), hash]) {
          expect(answered.includes(form)).toBe(false);
          expect(logged.includes(form)).toBe(false);
        }
      }
    });
  });
});
