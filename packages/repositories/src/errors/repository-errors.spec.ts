import { VitalsError } from '@vitals/dynamodb-core';
import { z } from 'zod';
import { conflict, invalidInput, invalidItem, invalidTransition, notFound, schemaIssues } from './repository-errors.ts';

const KEY = { date: '2026-01-01', timestamp: '1300' };
const cause = new Error('the condition failed');

describe('repository errors', () => {
  describe('conflict', () => {
    it('when no versions are given, names the item and carries entity and key only', () => {
      const error = conflict('HealthEntry', KEY, { cause });
      expect(error).toBeInstanceOf(VitalsError);
      expect([error.code, error.message, error.cause]).toEqual([
        'repository.conflict',
        'HealthEntry {"date":"2026-01-01","timestamp":"1300"} was changed by someone else',
        cause,
      ]);
      expect(Object.keys(error.details)).toEqual(['entity', 'key']);
    });

    it('when versions are given, carries both, the actual one only when the stored value is a number', () => {
      expect(conflict('SyncJob', { job_id: 'j' }, { versions: { expected: 3, actual: 4 } }).details).toEqual({
        entity: 'SyncJob',
        key: { job_id: 'j' },
        expected_version: 3,
        actual_version: 4,
      });
      const odd = conflict('SyncJob', { job_id: 'j' }, { versions: { expected: undefined, actual: '4' } }).details;
      expect(Object.keys(odd)).toEqual(['entity', 'key', 'expected_version', 'actual_version']);
      expect([odd.expected_version, odd.actual_version]).toEqual([undefined, undefined]);
    });

    it('when a reason is given, says it instead of the default', () => {
      expect(conflict('SyncJob', { job_id: 'j' }, { reason: 'is leased to another worker' }).message).toBe(
        'SyncJob {"job_id":"j"} is leased to another worker',
      );
    });
  });

  describe('notFound', () => {
    it('when built, names the item and keeps the cause', () => {
      const error = notFound('SyncJob', { job_id: 'j' }, cause);
      expect([error.code, error.message, error.details, error.cause]).toEqual([
        'repository.notFound',
        'SyncJob {"job_id":"j"} does not exist',
        { entity: 'SyncJob', key: { job_id: 'j' } },
        cause,
      ]);
    });
  });

  describe('invalidItem', () => {
    it('when built, lists the issues, and the table when given', () => {
      expect(invalidItem('SyncJob', { job_id: 'j' }, ['status: bad', 'version: missing']).message).toBe(
        'SyncJob {"job_id":"j"} is invalid: status: bad; version: missing',
      );
      const error = invalidItem('UserToken', { user_id: 'u', provider: 'p' }, ['version: missing'], { table: 'dev-user_tokens' });
      expect([error.code, error.message, error.details]).toEqual([
        'repository.invalidItem',
        'UserToken {"user_id":"u","provider":"p"} in dev-user_tokens is invalid: version: missing',
        { entity: 'UserToken', key: { user_id: 'u', provider: 'p' }, issues: ['version: missing'] },
      ]);
    });

    it('when the item is what an update just wrote, says so', () => {
      expect(invalidItem('SyncJob', { job_id: 'j' }, ['x'], { afterUpdate: true }).message).toBe('SyncJob {"job_id":"j"} is invalid after an update');
    });
  });

  describe('invalidTransition', () => {
    it('when built, names both states', () => {
      const error = invalidTransition('SyncJob', { job_id: 'j' }, 'cancelled', 'completed', cause);
      expect([error.code, error.message, error.details, error.cause]).toEqual([
        'repository.invalidTransition',
        'SyncJob {"job_id":"j"} is cancelled and cannot become completed',
        { entity: 'SyncJob', key: { job_id: 'j' }, from: 'cancelled', to: 'completed' },
        cause,
      ]);
    });
  });

  describe('invalidInput', () => {
    it('when built, lists every issue in the message, unless a message is given', () => {
      const issues = [
        { path: 'from', message: 'bad date' },
        { path: 'to', message: 'before from' },
      ];
      expect(invalidInput('HealthEntry', issues).message).toBe('Invalid HealthEntry: from: bad date; to: before from');
      const limit = invalidInput('SyncJob', [{ path: 'limit', message: 'must be an integer 1..1000' }], undefined, 'limit must be an integer 1..1000');
      expect([limit.code, limit.message, limit.details]).toEqual([
        'repository.invalidInput',
        'limit must be an integer 1..1000',
        { entity: 'SyncJob', issues: [{ path: 'limit', message: 'must be an integer 1..1000' }] },
      ]);
    });
  });

  describe('schemaIssues', () => {
    it('when a schema rejects an item, words each issue as path: message, (item) for the whole item', () => {
      const nested = z.strictObject({ a: z.strictObject({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
      const whole = z.strictObject({}).safeParse('not an object');
      expect(schemaIssues(nested.error?.issues ?? [])).toEqual([`a.b: ${nested.error?.issues[0]?.message}`]);
      expect(schemaIssues(whole.error?.issues ?? [])).toEqual([`(item): ${whole.error?.issues[0]?.message}`]);
    });
  });
});
