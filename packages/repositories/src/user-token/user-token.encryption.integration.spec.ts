import type { DynamoDBService, Item } from '@vitals/dynamodb-core';
import { userTokenEntity } from '@vitals/models';
import type { Container } from 'inversify';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import {
  expectNoTokenIn,
  failureOf,
  flipBit,
  keyA,
  recordingLogger,
  ringA,
  ringBOnly,
  ringBWithA,
  tokens,
} from '../test-support/user-tokens.ts';
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

  describe('key rotation', () => {
    it('when key-b becomes current with key-a kept, old sets still decrypt, and rotate re-encrypts them under key-b', async () => {
      const input = tokens();
      await withRing(ringA).save('user-rotate', 'dexcom', input);
      const rotated = withRing(ringBWithA);

      expect(await rotated.get('user-rotate', 'dexcom')).toMatchObject(input);
      expect(await rawItem('user-rotate')).toMatchObject({ key_id: 'key-a' });
      await expect(withRing(ringBOnly).get('user-rotate', 'dexcom')).rejects.toMatchObject({
        code: 'repository.decryptionFailed',
        details: { reason: 'unknownKey', key_id: 'key-a' },
      });

      clock.set('2026-04-02T00:00:00.000Z');
      expect(await rotated.rotate('user-rotate', 'dexcom')).toEqual({
        rotated: true,
        token: expect.objectContaining({ version: 2, updated_at: '2026-04-02T00:00:00.000Z' }),
      });
      const raw = await rawItem('user-rotate');
      expect(raw).toMatchObject({
        key_id: 'key-b',
        access_token_enc: expect.stringMatching(/^v1\.key-b\./),
        refresh_token_enc: expect.stringMatching(/^v1\.key-b\./),
      });
      expectNoTokenIn(JSON.stringify(raw), input);
      expect(await withRing(ringBOnly).get('user-rotate', 'dexcom')).toMatchObject({ ...input, version: 2 });

      expect(await rotated.rotate('user-rotate', 'dexcom')).toEqual({ rotated: false, token: expect.objectContaining({ version: 2 }) });
      expect(await rotated.rotate('user-nobody', 'dexcom')).toBeUndefined();
    });

    it('when a set written with key-a is saved again after rotation, the new write uses key-b', async () => {
      await withRing(ringA).save('user-resave', 'dexcom', tokens());
      const input = tokens();
      await withRing(ringBWithA).save('user-resave', 'dexcom', input);
      expect(await rawItem('user-resave')).toMatchObject({ key_id: 'key-b', access_token_enc: expect.stringMatching(/^v1\.key-b\./) });
      expect(await withRing(ringBOnly).get('user-resave', 'dexcom')).toMatchObject(input);
    });

    it('when the key ring is misconfigured, the repository refuses to start, naming the key id and not the key', () => {
      const short = randomBytes(16).toString('base64');
      let error: unknown;
      try {
        withRing({ current_key_id: 'key-c', keys: { 'key-a': keyA, 'key-c': short } });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'config.invalid', details: { issues: [{ path: 'keys.key-c' }] } });
      expect((error as Error).message).toContain('key "key-c" is 16 bytes');
      expect(inspect(error, { depth: 10 })).not.toContain(short);
      expect(inspect(error, { depth: 10 })).not.toContain(keyA);
    });
  });

  describe('a stored ciphertext that was altered or moved', () => {
    const victim = tokens();
    const attacker = tokens();

    beforeAll(async () => {
      await repository.save('user-victim', 'dexcom', victim);
      await repository.save('user-attacker', 'dexcom', attacker);
    });

    async function expectDecryptionFailure(userId: string, field: 'access_token' | 'refresh_token'): Promise<void> {
      const error = await failureOf(repository.get(userId, 'dexcom'));
      expect(error).toMatchObject({
        code: 'repository.decryptionFailed',
        details: { reason: 'authenticationFailed', key_id: 'key-a', entity: 'UserToken', key: { user_id: userId, provider: 'dexcom' }, field },
      });
      expectNoTokenIn(inspect(error, { depth: 10 }), victim, attacker);
    }

    it('when one bit of a ciphertext is flipped, get rejects with decryptionFailed naming the field, never the text', async () => {
      await repository.save('user-flipped', 'dexcom', victim);
      const raw = await rawItem('user-flipped');
      await db.items.putItem({ tableName: table, item: { ...raw, refresh_token_enc: flipBit(raw['refresh_token_enc'] as string) } });
      await expectDecryptionFailure('user-flipped', 'refresh_token');
      expect(await repository.getMetadata('user-flipped', 'dexcom')).toMatchObject({ user_id: 'user-flipped', version: 1 });
    });

    it('when the two ciphertexts of a set are swapped, get rejects instead of returning them crossed', async () => {
      await repository.save('user-swapped', 'dexcom', victim);
      const raw = await rawItem('user-swapped');
      await db.items.putItem({ tableName: table, item: { ...raw, access_token_enc: raw['refresh_token_enc'], refresh_token_enc: raw['access_token_enc'] } });
      await expectDecryptionFailure('user-swapped', 'access_token');
    });

    it("when another user's ciphertext is copied into an item, get rejects instead of handing out the other user's token", async () => {
      const stolen = await rawItem('user-victim');
      const raw = await rawItem('user-attacker');
      await db.items.putItem({ tableName: table, item: { ...raw, access_token_enc: stolen['access_token_enc'] } });
      await expectDecryptionFailure('user-attacker', 'access_token');
      expect(await repository.get('user-victim', 'dexcom')).toMatchObject(victim);
    });
  });

  describe('logging', () => {
    it('through a whole life cycle, successes and failures alike, no token is ever logged', async () => {
      logger.records.length = 0;
      const first = tokens({ expires_at: 1_700_000_000 });
      const second = tokens({ expires_at: 1_700_000_100 });
      await withRing(ringA).save('user-logged', 'dexcom', first);
      await repository.get('user-logged', 'dexcom');
      await repository.save('user-logged', 'dexcom', second, 1);
      await expect(repository.save('user-logged', 'dexcom', first, 1)).rejects.toMatchObject({ code: 'repository.conflict' });
      await expect(repository.save('user-logged', 'dexcom', { ...first, token_type: '' })).rejects.toMatchObject({
        code: 'repository.invalidInput',
      });
      await withRing(ringBWithA).rotate('user-logged', 'dexcom');
      await expect(repository.get('user-logged', 'dexcom')).rejects.toMatchObject({ code: 'repository.decryptionFailed' });
      await repository.listExpiringBefore('dexcom', 1_700_000_200);
      await repository.delete('user-logged', 'dexcom');

      const messages = logger.records.map((record) => `${String(record['component'])}: ${String(record['message'])}`);
      expect(messages).toEqual(
        expect.arrayContaining([
          'DynamoDBService: putItem done',
          'DynamoDBService: putItem condition not met',
          'DynamoDBService: getItem done',
          'DynamoDBService: query done',
          'DynamoDBService: deleteItem done',
          'UserTokenRepository: token set re-encrypted with the current key',
        ]),
      );
      expectNoTokenIn(inspect(logger.records, { depth: null, maxArrayLength: null, maxStringLength: null }), first, second);
    });
  });
});
