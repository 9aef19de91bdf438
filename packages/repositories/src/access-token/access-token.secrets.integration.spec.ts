import type { DynamoDBService } from '@vitals/dynamodb-core';
import { accessTokenEntity } from '@vitals/models';
import type { Container } from 'inversify';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { secretFormsOf, storedAccessTokens } from '../test-support/access-tokens.ts';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import { recordingLogger } from '../test-support/user-tokens.ts';
import { AccessTokenRepository } from './access-token.repository.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe(`${AccessTokenRepository.name} and secrets`, () => {
  const clock = manualClock('2026-12-01T10:00:00.000Z');
  const logger = recordingLogger();
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let tokens: AccessTokenRepository;

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer({}, { clock, logger }));
    tokens = container.get(AccessTokenRepository);
  });
  afterAll(() => container.unbindAll());

  it('when a token lives its whole life, its text and SHA-1 are in no stored item, and none of its forms in any log record', async () => {
    const { token, view } = await tokens.create('secret-user', { name: 'life', scopes: ['readings:read'], expires_at: '2026-12-02T00:00:00Z' });
    await tokens.resolve({ token });
    await tokens.list('secret-user');
    clock.set('2026-12-03T00:00:00.000Z');
    await tokens.resolve({ token });
    await tokens.revoke('secret-user', view.token_id);
    await tokens.revoke('secret-user', view.token_id);
    await tokens.resolve({ token });
    const stored = inspect(await storedAccessTokens(db, settings.table_prefix), { depth: null });
    for (const form of secretFormsOf(token, { withHash: false })) expect(stored).not.toContain(form);
    const logged = JSON.stringify(logger.records);
    expect(logger.records.length).toBeGreaterThan(0);
    for (const form of secretFormsOf(token, { withHash: true })) expect(logged).not.toContain(form);
  });

  describe('an invalid stored item', () => {
    const sha1 = 'c'.repeat(40);
    const hash = sha256(sha1);
    const item = {
      token_hash: hash,
      token_id: '11111111-2222-4333-8444-555555555555',
      user_id: 'corrupt-user',
      name: 'corrupt',
      scopes: ['everything'],
      created_at: '2026-11-01T00:00:00.000Z',
      expires_at: null,
    };

    beforeAll(async () => {
      await db.items.putItem({ tableName: accessTokenEntity.tableName(settings.table_prefix), item });
    });

    it('when resolved or listed, is refused and left out, reported by token_id and never by hash', async () => {
      logger.records.length = 0;
      expect(await tokens.resolve({ sha1 })).toBeUndefined();
      expect(await tokens.list('corrupt-user')).toEqual([]);
      const warning = expect.objectContaining({
        message: 'invalid stored access tokens skipped',
        skipped: [{ token_id: item.token_id, issues: [expect.stringMatching(/^scopes\.0: /)] }],
      });
      expect(logger.records.filter((record) => record['level'] === 'warn')).toEqual([warning, warning]);
      expect(JSON.stringify(logger.records)).not.toContain(hash);
    });

    it('when strict, is repository.invalidItem named by token_id, never by hash', async () => {
      const strict = await testContainer({ table_prefix: settings.table_prefix, strict: true }, { clock, logger });
      try {
        const error = await rejection(strict.container.get(AccessTokenRepository).list('corrupt-user'));
        expect(error.code).toBe('repository.invalidItem');
        expect(error.message).toContain(item.token_id);
        expect(inspect(error, { depth: null })).not.toContain(hash);
      } finally {
        await strict.container.unbindAll();
      }
    });
  });
});
