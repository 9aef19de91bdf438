import { DYNAMODB_CORE_TOKENS, type DynamoDBService } from '@vitals/dynamodb-core';
import { MAX_ACCESS_TOKENS_PER_USER, accessTokenEntity } from '@vitals/models';
import type { Container } from 'inversify';
import { createHash } from 'node:crypto';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStore } from '../store/entity-store.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { storedAccessTokens } from '../test-support/access-tokens.ts';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import { ACCESS_TOKEN_LAST_USED_RESOLUTION_MS, AccessTokenRepository } from './access-token.repository.ts';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR = 3_600_000;

describe(AccessTokenRepository.name, () => {
  const clock = manualClock('2026-12-01T10:00:00.000Z');
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let tokens: AccessTokenRepository;

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer({}, { clock }));
    tokens = container.get(AccessTokenRepository);
  });
  afterAll(() => container.unbindAll());
  beforeEach(() => clock.set('2026-12-01T10:00:00.000Z'));

  describe('.create', () => {
    it('when valid, returns the text once and its view, and stores only the SHA-256 of its SHA-1 with a TTL 30 days after expiry', async () => {
      const { token, view } = await tokens.create('create-user', { name: ' xDrip+ ', scopes: ['readings:write', 'readings:read'], expires_at: '2027-03-01T12:00:00+01:00' });
      expect(token).toMatch(/^vat_[A-Za-z0-9_-]{43}$/);
      expect(view).toEqual({
        token_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        user_id: 'create-user',
        name: 'xDrip+',
        scopes: ['readings:write', 'readings:read'],
        created_at: '2026-12-01T10:00:00.000Z',
        expires_at: '2027-03-01T11:00:00.000Z',
        last_used_at: null,
      });
      const [stored] = (await storedAccessTokens(db, settings.table_prefix)).filter((item) => item['token_id'] === view.token_id);
      expect(stored).toEqual({ ...view, last_used_at: undefined, token_hash: sha256(sha1(token)), purge_at: Date.UTC(2027, 2, 31, 11) / 1000 });
      expect(JSON.stringify(stored)).not.toContain(token.slice(4));
      expect(JSON.stringify(stored)).not.toContain(sha1(token));
    });

    it('when no expiry is given, stores a token that never expires and is never purged', async () => {
      const { view } = await tokens.create('create-user', { name: 'forever', scopes: ['readings:read'] });
      expect(view.expires_at).toBeNull();
      const [stored] = (await storedAccessTokens(db, settings.table_prefix)).filter((item) => item['token_id'] === view.token_id);
      expect(stored).not.toHaveProperty('purge_at');
      expect(stored?.['expires_at']).toBeNull();
    });

    it('when two tokens are created, their texts and ids differ', async () => {
      const [a, b] = await Promise.all([1, 2].map(() => tokens.create('create-user', { name: 'twin', scopes: ['readings:read'] })));
      expect(a?.token).not.toBe(b?.token);
      expect(a?.view.token_id).not.toBe(b?.view.token_id);
    });

    it.each([
      [{ name: '', scopes: ['readings:read'] }, 'name'],
      [{ name: 'x', scopes: ['readings:read', 'readings:read'] }, 'scopes'],
      [{ name: 'x', scopes: ['root'] }, 'scopes.0'],
      [{ name: 'x', scopes: ['readings:read'], expires_at: '2026-12-01T10:00:00.000Z' }, 'expires_at'],
      [{ name: 'x', scopes: ['readings:read'], expires_at: '2026-11-30T10:00:00Z' }, 'expires_at'],
      [{ name: 'x', scopes: ['readings:read'], token_id: 'mine' }, '(input)'],
    ])('when given %j, refuses it as repository.invalidInput at its path and stores nothing', async (input, path) => {
      const error = await rejection(tokens.create('invalid-user', input));
      expect(error.code).toBe('repository.invalidInput');
      expect((error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([path]);
      expect(await tokens.list('invalid-user')).toEqual([]);
    });

    it('when the expiry is in the past, says so with the server time', async () => {
      const error = await rejection(tokens.create('invalid-user', { name: 'x', scopes: ['readings:read'], expires_at: '2026-12-01T09:59:59.999Z' }));
      expect(error.message).toBe("Invalid AccessToken: expires_at: must be in the future (the server's time is 2026-12-01T10:00:00.000Z)");
    });

    it('when the user id is not one, refuses it as repository.invalidInput', async () => {
      expect((await rejection(tokens.create('', { name: 'x', scopes: ['readings:read'] }))).code).toBe('repository.invalidInput');
    });

    it(`when the user already holds ${MAX_ACCESS_TOKENS_PER_USER} tokens, refuses another as repository.conflict`, async () => {
      const items = Array.from({ length: MAX_ACCESS_TOKENS_PER_USER }, (_, index) => ({
        token_hash: sha256(`full-${index}`),
        token_id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        user_id: 'full-user',
        name: `token ${index}`,
        scopes: ['readings:read'],
        created_at: '2026-11-01T00:00:00.000Z',
        expires_at: null,
      }));
      await db.items.batchWriteItems({ tableName: accessTokenEntity.tableName(settings.table_prefix), items });
      const error = await rejection(tokens.create('full-user', { name: 'one more', scopes: ['readings:read'] }));
      expect(error.code).toBe('repository.conflict');
      expect(error.message).toBe(`AccessToken {"user_id":"full-user"} holds ${MAX_ACCESS_TOKENS_PER_USER} access tokens, the most one user may; revoke one first`);
      await tokens.revoke('full-user', items[0]?.token_id as string);
      await expect(tokens.create('full-user', { name: 'one more', scopes: ['readings:read'] })).resolves.toBeDefined();
    });
  });

  describe('.resolve', () => {
    it('when given the text or the SHA-1 of a live token, resolves its user, scopes, id and expiry', async () => {
      const { token, view } = await tokens.create('resolve-user', { name: 'phone', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00Z' });
      const expected = { user_id: 'resolve-user', scopes: ['readings:read'], token_id: view.token_id, expires_at: '2027-01-01T00:00:00.000Z' };
      expect(await tokens.resolve({ token })).toEqual(expected);
      expect(await tokens.resolve({ sha1: sha1(token) })).toEqual(expected);
    });

    it.each([
      ['an unknown token', { token: `vat_${'A'.repeat(43)}` }],
      ['a token one character short', { token: `vat_${'A'.repeat(42)}` }],
      ['a JWT', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig' }],
      ['an unknown SHA-1', { sha1: 'f'.repeat(40) }],
      ['a SHA-1 in upper case', { sha1: 'F'.repeat(40) }],
      ['the stored hash itself', { sha1: 'a'.repeat(64) }],
    ])('when given %s, resolves undefined', async (_case, credential) => {
      expect(await tokens.resolve(credential)).toBeUndefined();
    });

    it('when given the stored hash of a live token as a credential, refuses it: the table holds nothing usable', async () => {
      const { token } = await tokens.create('resolve-user', { name: 'phone', scopes: ['readings:read'] });
      const hash = sha256(sha1(token));
      expect(await tokens.resolve({ sha1: hash })).toBeUndefined();
      expect(await tokens.resolve({ token: hash })).toBeUndefined();
      expect(await tokens.resolve({ sha1: sha1(hash) })).toBeUndefined();
    });

    it('when the token has expired, resolves undefined from that instant though its item is still stored and listed', async () => {
      const { token, view } = await tokens.create('expiry-user', { name: 'short', scopes: ['readings:read'], expires_at: '2026-12-01T11:00:00Z' });
      clock.set('2026-12-01T10:59:59.999Z');
      expect(await tokens.resolve({ token })).toBeDefined();
      clock.set('2026-12-01T11:00:00.000Z');
      expect(await tokens.resolve({ token })).toBeUndefined();
      expect(await tokens.resolve({ sha1: sha1(token) })).toBeUndefined();
      expect((await tokens.list('expiry-user')).map((listed) => listed.token_id)).toEqual([view.token_id]);
    });

    it('when used, records last_used_at at most once an hour', async () => {
      const { token, view } = await tokens.create('used-user', { name: 'busy', scopes: ['readings:read'] });
      const lastUsed = async () => (await tokens.list('used-user')).find((listed) => listed.token_id === view.token_id)?.last_used_at;
      clock.set('2026-12-01T10:05:00.000Z');
      await tokens.resolve({ token });
      expect(await lastUsed()).toBe('2026-12-01T10:05:00.000Z');
      clock.advance(ACCESS_TOKEN_LAST_USED_RESOLUTION_MS - 1);
      await tokens.resolve({ token });
      expect(await lastUsed()).toBe('2026-12-01T10:05:00.000Z');
      clock.advance(2);
      await tokens.resolve({ sha1: sha1(token) });
      expect(await lastUsed()).toBe(new Date(Date.parse('2026-12-01T10:05:00.000Z') + HOUR + 1).toISOString());
    });
  });

  describe('.resolveById', () => {
    it("when the user holds the live token, resolves it as .resolve does; another user's or an unknown id resolves nothing", async () => {
      const { token, view } = await tokens.create('by-id-user', { name: 'aaps', scopes: ['readings:read'], expires_at: '2027-01-01T00:00:00Z' });
      expect(await tokens.resolveById('by-id-user', view.token_id)).toEqual(await tokens.resolve({ token }));
      expect(await tokens.resolveById('by-id-other', view.token_id)).toBeUndefined();
      expect(await tokens.resolveById('by-id-user', '0190a000-0000-7000-8000-000000000000')).toBeUndefined();
    });

    it('when the token has expired, resolves undefined from that instant', async () => {
      const { view } = await tokens.create('by-id-expiry', { name: 'short', scopes: ['readings:read'], expires_at: '2026-12-01T11:00:00Z' });
      clock.set('2026-12-01T10:59:59.999Z');
      expect(await tokens.resolveById('by-id-expiry', view.token_id)).toMatchObject({ token_id: view.token_id });
      clock.set('2026-12-01T11:00:00.000Z');
      expect(await tokens.resolveById('by-id-expiry', view.token_id)).toBeUndefined();
    });

    it('when this process has met the token, resolves it by its key alone: the index is not asked again', async () => {
      const { token, view } = await tokens.create('by-id-known', { name: 'aaps', scopes: ['readings:read'] });
      expect(await tokens.resolveById('by-id-known', view.token_id)).toMatchObject({ token_id: view.token_id });
      const index = jest.spyOn(EntityStore.prototype, 'queryParsedPages');
      try {
        expect(await tokens.resolveById('by-id-known', view.token_id)).toEqual(await tokens.resolve({ token }));
        // Another user naming the same id is still refused: the key is remembered per user and token.
        expect(await tokens.resolveById('by-id-stranger', view.token_id)).toBeUndefined();
        expect(index).toHaveBeenCalledTimes(1);
      } finally {
        index.mockRestore();
      }
    });

    it('when the token is revoked while the user index still lists it, the consistent read refuses it on the next call', async () => {
      const { view } = await tokens.create('by-id-revoked', { name: 'caregiver', scopes: ['readings:read'] });
      // DynamoDB Local updates an index at once; a real GSI trails the table. Record the index page of a resolve before the revoke…
      const query = EntityStore.prototype.queryParsedPages;
      const pages: unknown[] = [];
      const record = jest.spyOn(EntityStore.prototype, 'queryParsedPages').mockImplementationOnce(async function* (this: EntityStore<unknown>, ...args) {
        for await (const page of query.apply(this, args)) {
          pages.push(page);
          yield page;
        }
      });
      expect(await tokens.resolveById('by-id-revoked', view.token_id)).toMatchObject({ token_id: view.token_id });
      record.mockRestore();
      expect(pages).toHaveLength(1);
      expect(await tokens.revoke('by-id-revoked', view.token_id)).toBeDefined();

      // This process remembers the token's key: the read by key refuses it, without the index.
      const index = jest.spyOn(EntityStore.prototype, 'queryParsedPages');
      try {
        expect(await tokens.resolveById('by-id-revoked', view.token_id)).toBeUndefined();
        expect(index).not.toHaveBeenCalled();
      } finally {
        index.mockRestore();
      }

      // …another process has never met it: it replays the index page (which still lists the token), and the consistent read refuses it.
      const elsewhere = new AccessTokenRepository(container.get(EntityStores), container.get(DYNAMODB_CORE_TOKENS.Logger), clock, settings);
      const spy = jest.spyOn(EntityStore.prototype, 'queryParsedPages').mockImplementationOnce(async function* () {
        yield* pages as never[];
      });
      try {
        expect(await elsewhere.resolveById('by-id-revoked', view.token_id)).toBeUndefined();
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('.list', () => {
    it("when a user holds tokens, lists that user's views oldest first, with no hash and nobody else's", async () => {
      clock.set('2026-12-01T12:00:00.000Z');
      const second = await tokens.create('list-user', { name: 'second', scopes: ['readings:read'] });
      clock.set('2026-12-01T08:00:00.000Z');
      const first = await tokens.create('list-user', { name: 'first', scopes: ['readings:read', 'health:read'] });
      await tokens.create('list-other', { name: 'other', scopes: ['readings:read'] });
      const listed = await tokens.list('list-user');
      expect(listed).toEqual([first.view, second.view]);
      expect(listed.flatMap(Object.keys)).not.toContain('token_hash');
      expect(await tokens.list('list-nobody')).toEqual([]);
    });
  });

  describe('.revoke', () => {
    it('when the user holds the token, deletes it and returns its view; the next resolve fails, a second revoke finds nothing', async () => {
      const { token, view } = await tokens.create('revoke-user', { name: 'caregiver', scopes: ['readings:read'] });
      expect(await tokens.resolve({ token })).toBeDefined();
      expect(await tokens.revoke('revoke-user', view.token_id)).toEqual({ ...view, last_used_at: '2026-12-01T10:00:00.000Z' });
      expect(await tokens.resolve({ token })).toBeUndefined();
      expect(await tokens.resolve({ sha1: sha1(token) })).toBeUndefined();
      expect(await tokens.revoke('revoke-user', view.token_id)).toBeUndefined();
      expect(await tokens.list('revoke-user')).toEqual([]);
      expect((await storedAccessTokens(db, settings.table_prefix)).filter((item) => item['token_id'] === view.token_id)).toEqual([]);
    });

    it("when another user names the token's id, finds nothing and the token keeps working", async () => {
      const { token, view } = await tokens.create('revoke-owner', { name: 'mine', scopes: ['readings:read'] });
      expect(await tokens.revoke('revoke-thief', view.token_id)).toBeUndefined();
      expect(await tokens.resolve({ token })).toMatchObject({ user_id: 'revoke-owner' });
    });

    it('when the id is not a UUID, refuses it as repository.invalidInput', async () => {
      expect((await rejection(tokens.revoke('revoke-user', 'tok-1'))).code).toBe('repository.invalidInput');
    });

    it('when revoked between the read and the write of last_used_at, the write does not bring the item back', async () => {
      const { token, view } = await tokens.create('revoke-used', { name: 'x', scopes: ['readings:read'] });
      const getRaw = EntityStore.prototype.getRaw;
      const spy = jest.spyOn(EntityStore.prototype, 'getRaw').mockImplementationOnce(async function (this: EntityStore<unknown>, ...args) {
        const raw = await getRaw.apply(this, args);
        await tokens.revoke('revoke-used', view.token_id);
        return raw;
      });
      try {
        // The read saw the token alive, so this request passes: the revocation holds from the next one.
        expect(await tokens.resolve({ token })).toMatchObject({ token_id: view.token_id });
      } finally {
        spy.mockRestore();
      }
      const hash = sha256(sha1(token));
      expect((await storedAccessTokens(db, settings.table_prefix)).filter((item) => item['token_hash'] === hash)).toEqual([]);
      expect(await tokens.resolve({ token })).toBeUndefined();
    });
  });
});
