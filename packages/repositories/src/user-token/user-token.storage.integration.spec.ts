import type { DynamoDBService, Item, VitalsError } from '@vitals/dynamodb-core';
import { userTokenEntity } from '@vitals/models';
import type { Container } from 'inversify';
import { inspect } from 'node:util';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { expectNoTokenIn, failureOf, recordingLogger, ringA, tokens } from '../test-support/user-tokens.ts';
import type { TokenKeyRing } from './token-cipher.ts';
import { UserTokenRepository } from './user-token.repository.ts';

describe(UserTokenRepository.name, () => {
  const clock = manualClock('2026-04-01T08:00:00.000Z');
  const logger = recordingLogger();
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let repository: UserTokenRepository;
  let table: string;

  const withRing = (ring: TokenKeyRing) => new UserTokenRepository(new EntityStores(db.items, logger, settings), logger, clock, ring);
  const rawItem = async (userId: string, provider = 'dexcom') =>
    (await db.items.getItem({ tableName: table, key: { user_id: userId, provider }, consistentRead: true })) as Item;

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer({}, { clock, logger }));
    table = userTokenEntity.tableName(settings.table_prefix);
    repository = withRing(ringA);
  });
  afterAll(() => container.unbindAll());

  describe('.save / .get', () => {
    it('when a new set is saved, get returns both tokens decrypted, at version 1, created and updated now', async () => {
      clock.set('2026-04-01T08:00:00.000Z');
      const input = tokens();
      const metadata = await repository.save('user-new', 'dexcom', input);
      const expected = {
        user_id: 'user-new',
        provider: 'dexcom',
        token_type: 'Bearer',
        scope: 'offline_access egv',
        expires_at: 1_780_000_000,
        created_at: '2026-04-01T08:00:00.000Z',
        updated_at: '2026-04-01T08:00:00.000Z',
        version: 1,
      };
      expect(metadata).toEqual(expected);
      expect(await repository.get('user-new', 'dexcom')).toEqual({ ...expected, ...input });
    });

    it('when the set is saved again, keeps created_at, moves updated_at and version, and returns the new tokens', async () => {
      clock.set('2026-04-01T08:00:00.000Z');
      await repository.save('user-again', 'dexcom', tokens());
      clock.set('2026-04-01T09:30:00.000Z');
      const second = tokens({ expires_at: 1_780_003_600 });
      expect(await repository.save('user-again', 'dexcom', second)).toMatchObject({
        created_at: '2026-04-01T08:00:00.000Z',
        updated_at: '2026-04-01T09:30:00.000Z',
        version: 2,
        expires_at: 1_780_003_600,
      });
      expect(await repository.get('user-again', 'dexcom')).toMatchObject({ ...second, version: 2 });
    });

    it('when the table is read directly, no token is there in any form: only v1 ciphertexts and the key id', async () => {
      const input = tokens();
      await repository.save('user-raw', 'dexcom', input);
      const raw = await rawItem('user-raw');
      expectNoTokenIn(JSON.stringify(raw), input);
      expect(raw).not.toHaveProperty('access_token');
      expect(raw).not.toHaveProperty('refresh_token');
      expect(raw).toMatchObject({
        access_token_enc: expect.stringMatching(/^v1\.key-a\./),
        refresh_token_enc: expect.stringMatching(/^v1\.key-a\./),
        key_id: 'key-a',
        version: 1,
      });
    });

    it('when there is no set, get and getMetadata resolve undefined', async () => {
      expect(await repository.get('user-nobody', 'dexcom')).toBeUndefined();
      expect(await repository.getMetadata('user-nobody', 'dexcom')).toBeUndefined();
    });

    it('getMany returns the stored sets of the keys, decrypted as get returns each, and leaves the absent out', async () => {
      await repository.save('user-many-a', 'dexcom', tokens());
      await repository.save('user-many-b', 'dexcom', tokens());
      const many = await repository.getMany([
        { user_id: 'user-many-a', provider: 'dexcom' },
        { user_id: 'user-many-nobody', provider: 'dexcom' },
        { user_id: 'user-many-b', provider: 'dexcom' },
      ]);
      const byUser = new Map(many.map((set) => [set.user_id, set]));
      expect([...byUser.keys()].sort()).toEqual(['user-many-a', 'user-many-b']);
      expect(byUser.get('user-many-a')).toEqual(await repository.get('user-many-a', 'dexcom'));
      expect(byUser.get('user-many-b')).toEqual(await repository.get('user-many-b', 'dexcom'));
      expect(await repository.getMany([])).toEqual([]);
    });

    it('getMetadata returns the metadata fields only: no token, no ciphertext, no key id', async () => {
      const input = tokens();
      await repository.save('user-meta', 'dexcom', input);
      const metadata = await repository.getMetadata('user-meta', 'dexcom');
      expect(Object.keys(metadata ?? {}).sort()).toEqual(
        ['created_at', 'expires_at', 'provider', 'scope', 'token_type', 'updated_at', 'user_id', 'version'],
      );
      expectNoTokenIn(JSON.stringify(metadata), input);
    });

    it('when the input is invalid, rejects with invalidInput naming each path, without token text, and stores nothing', async () => {
      const input = tokens();
      const error = await failureOf(
        repository.save('user-bad', 'dexcom', { ...input, refresh_token: undefined, expires_at: 1.5, id_token: input.access_token }),
      );
      expect(error.code).toBe('repository.invalidInput');
      expect((error as VitalsError<'repository.invalidInput'>).details.issues.map((issue) => issue.path).sort()).toEqual([
        '(input)',
        'expires_at',
        'refresh_token',
      ]);
      expectNoTokenIn(inspect(error, { depth: 10 }), input);
      expect(await rawItem('user-bad')).toBeUndefined();
    });

    it('when the provider, user or expected version is invalid, rejects with invalidInput', async () => {
      await expect(repository.save('user-bad', 'Dexcom', tokens())).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.save('', 'dexcom', tokens())).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.save('user-bad', 'dexcom', tokens(), 0)).rejects.toMatchObject({
        code: 'repository.invalidInput',
        details: { issues: [{ path: 'expected_version' }] },
      });
      await expect(repository.get('user-bad', 'Dexcom')).rejects.toMatchObject({ code: 'repository.invalidInput' });
      expect(await rawItem('user-bad')).toBeUndefined();
    });
  });

  describe('.save with concurrent writers', () => {
    it('when two saves race with the same expected version, exactly one wins and the other gets repository.conflict', async () => {
      await repository.save('user-race', 'dexcom', tokens());
      const [first, second] = [tokens(), tokens()];
      const results = await Promise.allSettled([
        repository.save('user-race', 'dexcom', first, 1),
        repository.save('user-race', 'dexcom', second, 1),
      ]);
      const won = results.findIndex((result) => result.status === 'fulfilled');
      const lost = results.filter((result) => result.status === 'rejected');
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toMatchObject({
        code: 'repository.conflict',
        details: { entity: 'UserToken', key: { user_id: 'user-race', provider: 'dexcom' }, expected_version: 1, actual_version: 2 },
      });
      expect(await repository.get('user-race', 'dexcom')).toMatchObject({ ...(won === 0 ? first : second), version: 2 });
    });

    it('when two saves without an expected version both read version 1, the later write gets conflict instead of overwriting', async () => {
      await repository.save('user-blind', 'dexcom', tokens());
      // Hold both reads until both have happened, so both writers lock on version 1.
      const read = db.items.getItem.bind(db.items);
      let reads = 0;
      let bothRead!: () => void;
      const barrier = new Promise<void>((resolve) => (bothRead = resolve));
      const spy = jest.spyOn(db.items, 'getItem').mockImplementation(async (...args) => {
        const result = await read(...args);
        if (++reads === 2) bothRead();
        await barrier;
        return result;
      });
      const [first, second] = [tokens(), tokens()];
      let results: PromiseSettledResult<unknown>[];
      try {
        results = await Promise.allSettled([repository.save('user-blind', 'dexcom', first), repository.save('user-blind', 'dexcom', second)]);
      } finally {
        spy.mockRestore();
      }
      const won = results.findIndex((result) => result.status === 'fulfilled');
      expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason)).toEqual([
        expect.objectContaining({ code: 'repository.conflict' }),
      ]);
      expect(await repository.get('user-blind', 'dexcom')).toMatchObject({ ...(won === 0 ? first : second), version: 2 });
    });

    it("when the expected version is stale, 'new' for an existing set, or a number for a missing one, rejects with conflict and changes nothing", async () => {
      const input = tokens();
      await repository.save('user-stale', 'dexcom', input);
      await repository.save('user-stale', 'dexcom', input);
      await expect(repository.save('user-stale', 'dexcom', tokens(), 1)).rejects.toMatchObject({
        code: 'repository.conflict',
        details: { expected_version: 1, actual_version: 2 },
      });
      await expect(repository.save('user-stale', 'dexcom', tokens(), 'new')).rejects.toMatchObject({
        code: 'repository.conflict',
        details: { actual_version: 2 },
      });
      expect(await repository.get('user-stale', 'dexcom')).toMatchObject({ ...input, version: 2 });

      await expect(repository.save('user-missing', 'dexcom', tokens(), 3)).rejects.toMatchObject({ code: 'repository.conflict' });
      expect(await repository.get('user-missing', 'dexcom')).toBeUndefined();
    });

    it("when 'new' is expected and nothing is stored, creates version 1", async () => {
      expect(await repository.save('user-fresh', 'dexcom', tokens(), 'new')).toMatchObject({ version: 1 });
    });

    it('when a stored set has no usable version, save refuses with invalidItem instead of overwriting blindly', async () => {
      await repository.save('user-noversion', 'dexcom', tokens());
      const { version: _version, ...withoutVersion } = await rawItem('user-noversion');
      await db.items.putItem({ tableName: table, item: withoutVersion });
      await expect(repository.save('user-noversion', 'dexcom', tokens())).rejects.toMatchObject({
        code: 'repository.invalidItem',
        details: { key: { user_id: 'user-noversion', provider: 'dexcom' }, issues: [expect.stringContaining('version')] },
      });
    });
  });

  describe('.delete', () => {
    it('when the set exists, deletes it and resolves its metadata; a second delete resolves undefined', async () => {
      const input = tokens();
      await repository.save('user-delete', 'dexcom', input);
      const deleted = await repository.delete('user-delete', 'dexcom');
      expect(deleted).toMatchObject({ user_id: 'user-delete', provider: 'dexcom', version: 1 });
      expectNoTokenIn(JSON.stringify(deleted), input);
      expect(await rawItem('user-delete')).toBeUndefined();
      expect(await repository.delete('user-delete', 'dexcom')).toBeUndefined();
    });

    it('when the expected version is stale, rejects with conflict and keeps the set; with the right one, deletes it', async () => {
      await repository.save('user-delete-v', 'dexcom', tokens());
      await repository.save('user-delete-v', 'dexcom', tokens());
      await expect(repository.delete('user-delete-v', 'dexcom', 1)).rejects.toMatchObject({
        code: 'repository.conflict',
        details: { expected_version: 1, actual_version: 2 },
      });
      expect(await repository.getMetadata('user-delete-v', 'dexcom')).toMatchObject({ version: 2 });
      expect(await repository.delete('user-delete-v', 'dexcom', 2)).toMatchObject({ version: 2 });
      expect(await repository.getMetadata('user-delete-v', 'dexcom')).toBeUndefined();
    });
  });

  describe('.listExpiringBefore', () => {
    const T = 1_800_000_000;
    const sets = Array.from({ length: 7 }, (_, i) => tokens({ expires_at: T + i * 100 }));

    beforeAll(async () => {
      // Saved out of order, plus a set of another provider that expires first.
      for (const i of [3, 0, 6, 1, 5, 2, 4]) await repository.save(`sweep-${i}`, 'acme', sets[i]);
      await repository.save('sweep-0', 'other', tokens({ expires_at: T - 100 }));
    });

    it('pages through the sets expiring strictly before the time, soonest first, metadata only', async () => {
      const users: string[] = [];
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await repository.listExpiringBefore('acme', T + 500, { limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        users.push(...page.items.map((item) => item.user_id));
        pages.push(JSON.stringify(page));
        cursor = page.next_cursor;
      } while (cursor !== null);

      expect(users).toEqual(['sweep-0', 'sweep-1', 'sweep-2', 'sweep-3', 'sweep-4']);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expectNoTokenIn(pages.join('\n'), ...sets);
      expect(pages.join('\n')).not.toMatch(/_enc|key_id|v1\.key-/);
    });

    it('when nothing expires before the time, returns an empty last page', async () => {
      expect(await repository.listExpiringBefore('acme', T)).toEqual({ items: [], next_cursor: null, skipped: [] });
    });

    it("rejects a cursor from another provider's listing, and a time that is not epoch seconds", async () => {
      const { next_cursor } = await repository.listExpiringBefore('acme', T + 500, { limit: 2 });
      await expect(repository.listExpiringBefore('other', T + 500, { cursor: next_cursor })).rejects.toMatchObject({
        code: 'repository.invalidCursor',
        details: { reason: 'foreign' },
      });
      await expect(repository.listExpiringBefore('acme', 1.5)).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.listExpiringBefore('acme', -1)).rejects.toMatchObject({ code: 'repository.invalidInput' });
    });
  });
});
