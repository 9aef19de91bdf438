import { VitalsError, type Item } from '@vitals/dynamodb-core';
import { SYNC_JOB_STATUSES, type SyncJob, type SyncJobStatus } from '@vitals/models';
import {
  SYNC_JOB_LAST_ERROR_MAX_LENGTH,
  SYNC_JOB_TRANSITIONS,
  cancelWrite,
  claimUpdate,
  completeWrite,
  deferWrite,
  expireUpdate,
  failWrite,
  claimLanded,
  failedClaim,
  failedUpdate,
  finishing,
  heartbeatWrite,
  isLostClaim,
  refusalOf,
  type SyncJobChange,
} from './sync-job.transitions.ts';

const NOW = new Date('2026-04-01T12:00:00.000Z');
const KEY = { job_id: '0b6f4f3e-8d2a-4c1e-9f3a-5b7c9d1e2f30' };
const LEASE = 300_000;
const RETENTION_DAYS = 7;
const EXPIRES_AT = Math.floor(NOW.getTime() / 1_000) + RETENTION_DAYS * 86_400;

function job(overrides: Partial<SyncJob> = {}): SyncJob {
  return {
    job_id: KEY.job_id,
    user_id: 'user-1',
    provider: 'dexcom',
    status: 'running',
    scheduled_at: '2026-04-01T11:00:00.000Z',
    window_start: '2026-03-31T12:00:00.000Z',
    window_end: '2026-04-01T12:00:00.000Z',
    attempts: 1,
    max_attempts: 3,
    records_synced: 0,
    lease_owner: 'worker-a',
    lease_expires_at: '2026-04-01T12:05:00.000Z',
    created_at: '2026-04-01T10:00:00.000Z',
    updated_at: '2026-04-01T11:00:00.000Z',
    version: 2,
    ...overrides,
  };
}

/** The names the expressions use, each mapped to itself without `#`. */
const names = (...attributes: string[]) => Object.fromEntries(attributes.map((name) => [`#${name}`, name]));

describe('sync-job transitions', () => {
  describe('SYNC_JOB_TRANSITIONS', () => {
    const allowed = (status: SyncJobStatus) =>
      (Object.keys(SYNC_JOB_TRANSITIONS) as SyncJobChange[]).filter((change) =>
        (SYNC_JOB_TRANSITIONS[change].from as readonly string[]).includes(status),
      );

    it('lets a pending job be claimed, cancelled or expired, and a running one every change', () => {
      expect(allowed('pending')).toEqual(['claim', 'cancel', 'expire']);
      expect(allowed('running')).toEqual(['claim', 'heartbeat', 'complete', 'retry', 'fail', 'cancel', 'defer', 'expire']);
    });

    it('lets no change leave a finished job', () => {
      for (const status of ['completed', 'failed', 'cancelled'] as const) expect(allowed(status)).toEqual([]);
    });

    it('leads every change to a known status', () => {
      for (const { to } of Object.values(SYNC_JOB_TRANSITIONS)) expect(SYNC_JOB_STATUSES).toContain(to);
    });
  });

  describe('claimUpdate', () => {
    it('when built, leases the job to the owner, counts the attempt, and requires a due pending job or an expired lease with attempts left', () => {
      expect(claimUpdate('worker-a', LEASE, NOW)).toEqual({
        updateExpression:
          'SET #status = :running, #lease_owner = :owner, #lease_expires_at = :lease_until, ' +
          '#started_at = if_not_exists(#started_at, :now), #attempts = #attempts + :one, #version = #version + :one, #updated_at = :now',
        conditionExpression:
          '#attempts < #max_attempts AND ((#status = :pending AND #scheduled_at <= :now) OR (#status = :running AND #lease_expires_at < :now))',
        expressionAttributeNames: names(
          'status',
          'lease_owner',
          'lease_expires_at',
          'started_at',
          'attempts',
          'version',
          'updated_at',
          'max_attempts',
          'scheduled_at',
        ),
        expressionAttributeValues: {
          ':running': 'running',
          ':pending': 'pending',
          ':owner': 'worker-a',
          ':lease_until': '2026-04-01T12:05:00.000Z',
          ':now': NOW.toISOString(),
          ':one': 1,
        },
      });
    });
  });

  describe('failedClaim', () => {
    it('when nothing is stored, refuses with repository.notFound', () => {
      const failed = failedClaim(KEY, undefined, NOW);
      expect(failed).toEqual({ refusal: expect.any(VitalsError) });
      expect('refusal' in failed && failed.refusal).toMatchObject({
        code: 'repository.notFound',
        message: `SyncJob ${JSON.stringify(KEY)} does not exist`,
        details: { entity: 'SyncJob', key: KEY },
      });
    });

    it.each(['completed', 'failed', 'cancelled'] as const)('when the job is %s, refuses with repository.invalidTransition to running', (status) => {
      const cause = new Error('condition failed');
      const failed = failedClaim(KEY, job({ status }), NOW, cause);
      expect('refusal' in failed && failed.refusal).toMatchObject({
        code: 'repository.invalidTransition',
        message: `SyncJob ${JSON.stringify(KEY)} is ${status} and cannot become running`,
        details: { entity: 'SyncJob', key: KEY, from: status, to: 'running' },
        cause,
      });
    });

    it('when the job is pending but not due yet, or under a live lease, is a lost race, not exhausted', () => {
      expect(failedClaim(KEY, job({ status: 'pending', scheduled_at: '2026-04-01T12:00:00.001Z' }), NOW)).toEqual({
        status: 'pending',
        exhausted: false,
      });
      expect(failedClaim(KEY, job({ lease_expires_at: '2026-04-01T12:00:00.000Z' }), NOW)).toEqual({ status: 'running', exhausted: false });
    });

    it('when the job is claimable but its attempts are spent, says it is exhausted', () => {
      expect(failedClaim(KEY, job({ status: 'pending', attempts: 3 }), NOW)).toEqual({ status: 'pending', exhausted: true });
      expect(failedClaim(KEY, job({ attempts: 3, lease_expires_at: '2026-04-01T11:59:59.999Z' }), NOW)).toEqual({
        status: 'running',
        exhausted: true,
      });
    });

    it('when the job is claimable with attempts left (a race the condition lost), is not exhausted', () => {
      expect(failedClaim(KEY, job({ status: 'pending', attempts: 2 }), NOW)).toEqual({ status: 'pending', exhausted: false });
    });
  });

  describe('claimLanded', () => {
    it("when the job is running, leased to the claimer and updated at the claim's instant, the claim's own write landed", () => {
      expect(claimLanded(job({ updated_at: NOW.toISOString() }), 'worker-a', NOW)).toBe(true);
    });

    it('when anything differs (nothing stored, another status, owner or instant), it did not', () => {
      expect(claimLanded(undefined, 'worker-a', NOW)).toBe(false);
      expect(claimLanded(job({ status: 'completed', updated_at: NOW.toISOString() }), 'worker-a', NOW)).toBe(false);
      expect(claimLanded(job({ updated_at: NOW.toISOString() }), 'worker-b', NOW)).toBe(false);
      expect(claimLanded(job(), 'worker-a', NOW)).toBe(false);
    });
  });

  describe('expireUpdate', () => {
    it('when the last lease expired, fails the job saying which attempt did not finish, on condition of the version seen', () => {
      const existing: Item = job({ attempts: 3, lease_expires_at: '2026-04-01T11:00:00.000Z', version: 5 });
      expect(expireUpdate(existing, NOW, RETENTION_DAYS)).toEqual({
        updateExpression:
          'SET #status = :failed, #last_error = :error, #completed_at = :now, #expires_at = :expires_at, ' +
          '#version = #version + :one, #updated_at = :now REMOVE #lease_owner, #lease_expires_at',
        conditionExpression: '#version = :seen_version',
        expressionAttributeNames: names('status', 'last_error', 'completed_at', 'expires_at', 'version', 'updated_at', 'lease_owner', 'lease_expires_at'),
        expressionAttributeValues: {
          ':failed': 'failed',
          ':error': 'attempt 3 of 3 did not finish: its lease expired at 2026-04-01T11:00:00.000Z',
          ':seen_version': 5,
          ':now': NOW.toISOString(),
          ':one': 1,
          ':expires_at': EXPIRES_AT,
        },
      });
    });

    it('when a pending job has no attempts left, says so; without a retention, sets no expires_at', () => {
      const update = expireUpdate(job({ status: 'pending', attempts: 3 }), NOW, undefined);
      expect(update.expressionAttributeValues?.[':error']).toBe('no attempts left (3 of 3)');
      expect(update.updateExpression).not.toContain('#expires_at');
      expect(update.expressionAttributeValues).not.toHaveProperty([':expires_at']);
    });
  });

  describe('heartbeatWrite', () => {
    it('when built, extends the lease of a running job held by the owner', () => {
      expect(heartbeatWrite('worker-a', LEASE, NOW)).toEqual({
        update: {
          updateExpression: 'SET #lease_expires_at = :lease_until, #version = #version + :one, #updated_at = :now',
          conditionExpression: '#status = :running AND #lease_owner = :owner',
          expressionAttributeNames: names('lease_expires_at', 'version', 'updated_at', 'status', 'lease_owner'),
          expressionAttributeValues: {
            ':running': 'running',
            ':owner': 'worker-a',
            ':lease_until': '2026-04-01T12:05:00.000Z',
            ':now': NOW.toISOString(),
            ':one': 1,
          },
        },
        requires: { change: 'heartbeat', owner: 'worker-a', expectedVersion: undefined },
      });
    });

    it('when an expected version is given, requires it too', () => {
      const write = heartbeatWrite('worker-a', LEASE, NOW, 4);
      expect(write.update.conditionExpression).toBe('#status = :running AND #lease_owner = :owner AND #version = :expected_version');
      expect(write.update.expressionAttributeValues).toMatchObject({ ':expected_version': 4 });
      expect(write.requires).toEqual({ change: 'heartbeat', owner: 'worker-a', expectedVersion: 4 });
    });
  });

  describe('completeWrite', () => {
    it('when built, completes a running job held by the owner, finishes it and releases the lease', () => {
      expect(completeWrite('worker-a', 288, NOW, RETENTION_DAYS, 3)).toEqual({
        update: {
          updateExpression:
            'SET #status = :completed, #records_synced = :records_synced, #completed_at = :now, #expires_at = :expires_at, ' +
            '#version = #version + :one, #updated_at = :now REMOVE #lease_owner, #lease_expires_at',
          conditionExpression: '#status = :running AND #lease_owner = :owner AND #version = :expected_version',
          expressionAttributeNames: names(
            'status',
            'records_synced',
            'completed_at',
            'expires_at',
            'version',
            'updated_at',
            'lease_owner',
            'lease_expires_at',
          ),
          expressionAttributeValues: {
            ':completed': 'completed',
            ':running': 'running',
            ':owner': 'worker-a',
            ':records_synced': 288,
            ':now': NOW.toISOString(),
            ':one': 1,
            ':expected_version': 3,
            ':expires_at': EXPIRES_AT,
          },
        },
        requires: { change: 'complete', owner: 'worker-a', expectedVersion: 3 },
      });
    });
  });

  describe('failWrite', () => {
    it('when attempts are left, puts the job back to pending after the backoff, keeping the error, on condition of the attempts read', () => {
      const write = failWrite(job({ attempts: 2 }), 'worker-a', 'provider timeout', NOW, RETENTION_DAYS);
      expect(write).toEqual({
        retry: true,
        update: {
          updateExpression:
            'SET #status = :pending, #scheduled_at = :retry_at, #last_error = :error, #version = #version + :one, ' +
            '#updated_at = :now REMOVE #lease_owner, #lease_expires_at',
          conditionExpression: '#status = :running AND #lease_owner = :owner AND #attempts = :attempts',
          expressionAttributeNames: names(
            'status',
            'scheduled_at',
            'last_error',
            'version',
            'updated_at',
            'lease_owner',
            'lease_expires_at',
            'attempts',
          ),
          expressionAttributeValues: {
            ':pending': 'pending',
            ':running': 'running',
            ':owner': 'worker-a',
            ':attempts': 2,
            ':retry_at': '2026-04-01T12:02:00.000Z',
            ':error': 'provider timeout',
            ':now': NOW.toISOString(),
            ':one': 1,
          },
        },
        requires: { change: 'fail', owner: 'worker-a', expectedVersion: undefined },
      });
    });

    it('when it was the last attempt, fails the job for good and finishes it', () => {
      const write = failWrite(job({ attempts: 3 }), 'worker-a', 'provider timeout', NOW, RETENTION_DAYS, { expectedVersion: 6 });
      expect(write.retry).toBe(false);
      expect(write.update.updateExpression).toBe(
        'SET #status = :failed, #last_error = :error, #completed_at = :now, #expires_at = :expires_at, #version = #version + :one, ' +
          '#updated_at = :now REMOVE #lease_owner, #lease_expires_at',
      );
      expect(write.update.conditionExpression).toBe(
        '#status = :running AND #lease_owner = :owner AND #attempts = :attempts AND #version = :expected_version',
      );
      expect(write.update.expressionAttributeValues).toMatchObject({ ':failed': 'failed', ':expires_at': EXPIRES_AT, ':expected_version': 6 });
      expect(write.update.expressionAttributeValues).not.toHaveProperty([':retry_at']);
    });

    it('when final, fails the job for good even with attempts left', () => {
      const write = failWrite(job({ attempts: 1 }), 'worker-a', 'refresh token revoked', NOW, RETENTION_DAYS, { final: true });
      expect(write.retry).toBe(false);
      expect(write.update.expressionAttributeValues).toMatchObject({ ':failed': 'failed', ':error': 'refresh token revoked' });
      expect(write.update.expressionAttributeValues).not.toHaveProperty([':retry_at']);
    });

    it('when the error is longer than the limit, keeps only its first 4,096 characters', () => {
      const write = failWrite(job(), 'worker-a', 'x'.repeat(SYNC_JOB_LAST_ERROR_MAX_LENGTH + 10), NOW, undefined);
      expect(write.update.expressionAttributeValues?.[':error']).toBe('x'.repeat(SYNC_JOB_LAST_ERROR_MAX_LENGTH));
    });
  });

  describe('deferWrite', () => {
    it('when built, puts the job back to pending at the given time and gives its attempt back, on condition of the attempts read', () => {
      const until = new Date('2026-04-01T12:50:00.000Z');
      expect(deferWrite(job({ attempts: 2 }), 'worker-a', until, 'Dexcom: 429, retry after 3000 s', NOW)).toEqual({
        update: {
          updateExpression:
            'SET #status = :pending, #scheduled_at = :until, #last_error = :error, #attempts = #attempts - :one, ' +
            '#version = #version + :one, #updated_at = :now REMOVE #lease_owner, #lease_expires_at',
          conditionExpression: '#status = :running AND #lease_owner = :owner AND #attempts = :attempts',
          expressionAttributeNames: names(
            'status',
            'scheduled_at',
            'last_error',
            'attempts',
            'version',
            'updated_at',
            'lease_owner',
            'lease_expires_at',
          ),
          expressionAttributeValues: {
            ':pending': 'pending',
            ':running': 'running',
            ':owner': 'worker-a',
            ':attempts': 2,
            ':until': until.toISOString(),
            ':error': 'Dexcom: 429, retry after 3000 s',
            ':now': NOW.toISOString(),
            ':one': 1,
          },
        },
        requires: { change: 'defer', owner: 'worker-a' },
      });
    });
  });

  describe('cancelWrite', () => {
    it('when built, cancels a pending or running job, finishes it and releases any lease', () => {
      expect(cancelWrite(NOW, undefined)).toEqual({
        update: {
          updateExpression: 'SET #status = :cancelled, #completed_at = :now, #version = #version + :one, #updated_at = :now REMOVE #lease_owner, #lease_expires_at',
          conditionExpression: '#status IN (:pending, :running)',
          expressionAttributeNames: names('status', 'completed_at', 'version', 'updated_at', 'lease_owner', 'lease_expires_at'),
          expressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending', ':running': 'running', ':now': NOW.toISOString(), ':one': 1 },
        },
        requires: { change: 'cancel', expectedVersion: undefined },
      });
    });
  });

  describe('refusalOf', () => {
    const cause = new Error('condition failed');

    it('when nothing is stored, is repository.notFound', () => {
      expect(refusalOf(KEY, undefined, { change: 'cancel' }, cause)).toMatchObject({
        code: 'repository.notFound',
        details: { entity: 'SyncJob', key: KEY },
        cause,
      });
    });

    it('when the stored version is not the expected one, is repository.conflict with both versions, before the status is looked at', () => {
      const error = refusalOf(KEY, job({ status: 'completed', version: 7 }), { change: 'complete', owner: 'worker-a', expectedVersion: 6 }, cause);
      expect(error).toMatchObject({
        code: 'repository.conflict',
        message: `SyncJob ${JSON.stringify(KEY)} was changed by someone else`,
        details: { entity: 'SyncJob', key: KEY, expected_version: 6, actual_version: 7 },
        cause,
      });
    });

    it.each([
      ['heartbeat', 'cancelled', 'running'],
      ['complete', 'pending', 'completed'],
      ['fail', 'completed', 'failed'],
      ['cancel', 'failed', 'cancelled'],
    ] as const)('when %s meets a %s job, is repository.invalidTransition to %s', (change, status, to) => {
      expect(refusalOf(KEY, job({ status }), { change, owner: 'worker-a' })).toMatchObject({
        code: 'repository.invalidTransition',
        message: `SyncJob ${JSON.stringify(KEY)} is ${status} and cannot become ${to}`,
        details: { entity: 'SyncJob', key: KEY, from: status, to },
      });
    });

    it('when another worker holds the lease, is repository.conflict saying so', () => {
      const error = refusalOf(KEY, job({ lease_owner: 'worker-b' }), { change: 'heartbeat', owner: 'worker-a' });
      expect(error).toMatchObject({
        code: 'repository.conflict',
        message: `SyncJob ${JSON.stringify(KEY)} is leased to another worker`,
        details: { entity: 'SyncJob', key: KEY, expected_version: undefined, actual_version: 2 },
      });
    });

    it('when the stored job meets the requirement, is undefined', () => {
      expect(refusalOf(KEY, job(), { change: 'fail', owner: 'worker-a', expectedVersion: 2 })).toBeUndefined();
      expect(refusalOf(KEY, job({ status: 'pending' }), { change: 'cancel' })).toBeUndefined();
    });
  });

  describe('failedUpdate', () => {
    it('when the stored job explains the refusal, is that explanation', () => {
      expect(failedUpdate(KEY, undefined, { change: 'cancel' })).toMatchObject({ code: 'repository.notFound' });
    });

    it('when the stored job meets the requirement now (it changed meanwhile, e.g. attempts), is repository.conflict', () => {
      const cause = new Error('condition failed');
      expect(failedUpdate(KEY, job({ version: 3 }), { change: 'fail', owner: 'worker-a' }, cause)).toMatchObject({
        code: 'repository.conflict',
        message: `SyncJob ${JSON.stringify(KEY)} was changed by someone else`,
        details: { entity: 'SyncJob', key: KEY, expected_version: undefined, actual_version: 3 },
        cause,
      });
    });
  });

  describe('finishing', () => {
    it('when a retention is set, sets completed_at and expires_at that many days on; without one, completed_at only', () => {
      expect(finishing(NOW, 30)).toEqual({
        set: '#completed_at = :now, #expires_at = :expires_at',
        values: { ':expires_at': Math.floor(NOW.getTime() / 1_000) + 30 * 86_400 },
      });
      expect(finishing(NOW, undefined)).toEqual({ set: '#completed_at = :now', values: {} });
    });
  });

  describe('isLostClaim', () => {
    it('when a claim met a missing or finished job, is a lost race; any other failure is not', () => {
      expect(isLostClaim(new VitalsError('repository.notFound', 'gone', { entity: 'SyncJob', key: KEY }))).toBe(true);
      expect(
        isLostClaim(new VitalsError('repository.invalidTransition', 'done', { entity: 'SyncJob', key: KEY, from: 'completed', to: 'running' })),
      ).toBe(true);
      expect(isLostClaim(new VitalsError('dynamodb.unavailable', 'down', { operation: 'updateItem', aws_error: 'ServiceUnavailable' }))).toBe(false);
      expect(isLostClaim(new Error('boom'))).toBe(false);
    });
  });
});
