import {
  VitalsError,
  createLogger,
  type DynamoDBService,
  type Item,
  type Page,
  type QueryParams,
  type UpdateItemParams,
} from '@vitals/dynamodb-core';
import { syncJobEntity, type SyncJob } from '@vitals/models';
import { EntityStores } from '../store/entity-stores.ts';
import { DueJobCandidates } from './due-job-candidates.ts';
import { SyncJobRepository } from './sync-job.repository.ts';

const NOW = '2026-04-01T12:00:00.000Z';
const ids = [
  '0b6f4f3e-8d2a-4c1e-9f3a-5b7c9d1e2f30',
  '1c7a5a4f-9e3b-4d2f-8a4b-6c8d0e2f3a41',
  '2d8b6b5a-af4c-4e3a-9b5c-7d9e1f3a4b52',
] as const;

function pending(job_id: string): SyncJob {
  return {
    job_id,
    user_id: 'user-1',
    provider: 'dexcom',
    status: 'pending',
    scheduled_at: '2026-04-01T11:00:00.000Z',
    window_start: '2026-03-31T12:00:00.000Z',
    window_end: '2026-04-01T12:00:00.000Z',
    attempts: 0,
    max_attempts: 3,
    records_synced: 0,
    created_at: '2026-04-01T10:00:00.000Z',
    updated_at: '2026-04-01T10:00:00.000Z',
    version: 1,
  };
}

/**
 * How a claim's update ends: it lands; the job was finished meanwhile; DynamoDB is unavailable;
 * or the SDK's retry of a claim whose first attempt landed (its answer lost) fails the condition on that very write.
 */
type Outcome = 'claimed' | 'completedMeanwhile' | 'unavailable' | 'landedAnswerLost';

/** A DynamoDBService stand-in (its items): the pending partition holds the three jobs; each claim ends as `outcomes` says. */
function fakeDb(outcomes: Record<string, Outcome>) {
  const updates: string[] = [];
  const queries: QueryParams[] = [];
  const items = {
    async *queryPages(params: QueryParams): AsyncGenerator<Page> {
      queries.push(params);
      yield { items: params.expressionAttributeValues?.[':pk'] === 'pending' ? ids.map(pending) : [] };
    },
    async updateItem({ key }: UpdateItemParams): Promise<Item> {
      const jobId = String(key['job_id']);
      updates.push(jobId);
      const outcome = outcomes[jobId];
      if (outcome === 'unavailable') {
        throw new VitalsError('dynamodb.unavailable', 'updateItem: DynamoDB unavailable', {
          operation: 'updateItem',
          aws_error: 'ServiceUnavailable',
        });
      }
      if (outcome === 'completedMeanwhile') {
        throw new VitalsError('dynamodb.conditionFailed', 'updateItem: the condition was not met', {
          operation: 'updateItem',
          table: syncJobEntity.table.name,
          existing_item: { ...pending(jobId), status: 'completed', attempts: 1, version: 3 },
        });
      }
      if (outcome === 'landedAnswerLost') {
        throw new VitalsError('dynamodb.conditionFailed', 'updateItem: the condition was not met', {
          operation: 'updateItem',
          table: syncJobEntity.table.name,
          existing_item: running(jobId),
        });
      }
      return running(jobId);
    },
  };
  const db = { items };
  return { db: db as unknown as DynamoDBService, updates, queries };
}

/** What a claim by `worker-a` at NOW writes. */
function running(jobId: string): SyncJob {
  return {
    ...pending(jobId),
    status: 'running',
    attempts: 1,
    lease_owner: 'worker-a',
    lease_expires_at: '2026-04-01T12:05:00.000Z',
    started_at: NOW,
    updated_at: NOW,
    version: 2,
  };
}

function repositoryOver(db: DynamoDBService, now = () => new Date(NOW)): SyncJobRepository {
  const logger = createLogger({ level: 'silent' });
  const settings = { table_prefix: '', strict: false, cursor_secret: 'unit-cursor-secret-0123456789' };
  return new SyncJobRepository(new EntityStores(db.items, logger, settings), logger, settings, { now });
}

describe(SyncJobRepository.name, () => {
  describe('.claimDue', () => {
    it('when a listed job was finished by another worker meanwhile, skips it and returns the jobs it won', async () => {
      const { db, updates } = fakeDb({ [ids[0]]: 'claimed', [ids[1]]: 'completedMeanwhile', [ids[2]]: 'claimed' });
      const won = await repositoryOver(db).claimDue('worker-a', 300_000, 3);
      expect(won.map((job) => job.job_id).sort()).toEqual([ids[0], ids[2]]);
      expect(updates.sort()).toEqual([...ids].sort());
    });

    it('when DynamoDB fails during a claim, returns the jobs already won (they are leased to the owner) rather than dropping them', async () => {
      const { db } = fakeDb({ [ids[0]]: 'claimed', [ids[1]]: 'unavailable', [ids[2]]: 'claimed' });
      const won = await repositoryOver(db).claimDue('worker-a', 300_000, 3);
      expect(won.map((job) => job.job_id).sort()).toEqual([ids[0], ids[2]]);
    });

    it('when DynamoDB fails and nothing was won, rejects with that failure instead of treating it as a lost race', async () => {
      const { db } = fakeDb({ [ids[0]]: 'unavailable', [ids[1]]: 'completedMeanwhile', [ids[2]]: 'unavailable' });
      await expect(repositoryOver(db).claimDue('worker-a', 300_000, 3)).rejects.toMatchObject({ code: 'dynamodb.unavailable' });
    });

    it("when a claim's retry finds that claim's own write (the first answer was lost), the job is won, not skipped", async () => {
      const { db } = fakeDb({ [ids[0]]: 'landedAnswerLost', [ids[1]]: 'claimed', [ids[2]]: 'completedMeanwhile' });
      const won = await repositoryOver(db).claimDue('worker-a', 300_000, 3);
      expect(won).toEqual([running(ids[0]), running(ids[1])].sort((a, b) => a.job_id.localeCompare(b.job_id)));
    });
  });

  describe('.claimDue with DueJobCandidates', () => {
    const dueQueries = (queries: QueryParams[]) => queries.filter((query) => query.expressionAttributeValues?.[':pk'] === 'pending').length;

    it('when claiming one job at a time, lists the due jobs once and claims the next ones from what it kept', async () => {
      const { db, queries, updates } = fakeDb({ [ids[0]]: 'claimed', [ids[1]]: 'claimed', [ids[2]]: 'claimed' });
      const repository = repositoryOver(db);
      const candidates = new DueJobCandidates(1_000);
      const won: string[] = [];
      for (let claim = 0; claim < 3; claim++) {
        won.push(...(await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates })).map((job) => job.job_id));
      }
      expect(won.sort()).toEqual([...ids].sort());
      expect(updates).toHaveLength(3);
      expect(dueQueries(queries)).toBe(1);
      expect(queries[0]?.limit).toBe(16);
    });

    it('when a listed candidate was lost to another worker, keeps none of that listing and lists again next time', async () => {
      // Math.random 0: the listing [0, 1, 2] is tried as [1, 2, 0].
      jest.spyOn(Math, 'random').mockReturnValue(0);
      const { db, queries, updates } = fakeDb({ [ids[1]]: 'completedMeanwhile', [ids[2]]: 'claimed', [ids[0]]: 'claimed' });
      const repository = repositoryOver(db);
      const candidates = new DueJobCandidates(1_000);
      expect((await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates })).map((job) => job.job_id)).toEqual([ids[2]]);
      await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates });
      // Kept, job 0 would have been claimed without a second listing.
      expect(dueQueries(queries)).toBe(2);
      expect(updates).toEqual([ids[1], ids[2], ids[1], ids[2]]);
      jest.restoreAllMocks();
    });

    it('tells onListing each listing, whole and before any of it is claimed, and nothing when claiming from what it kept', async () => {
      const { db, updates } = fakeDb({ [ids[0]]: 'claimed', [ids[1]]: 'claimed', [ids[2]]: 'claimed' });
      const repository = repositoryOver(db);
      const listings: { jobs: string[]; claimedBefore: number }[] = [];
      const candidates = new DueJobCandidates(1_000, 16, (jobs) => listings.push({ jobs: jobs.map((job) => job.job_id), claimedBefore: updates.length }));
      for (let claim = 0; claim < 3; claim++) await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates });
      expect(listings).toEqual([{ jobs: [...ids], claimedBefore: 0 }]);
    });

    it('when the kept candidates are older than their age limit, lists again', async () => {
      const { db, queries } = fakeDb({ [ids[0]]: 'claimed', [ids[1]]: 'claimed', [ids[2]]: 'claimed' });
      let now = Date.parse(NOW);
      const repository = repositoryOver(db, () => new Date(now));
      const candidates = new DueJobCandidates(1_000);
      await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates });
      now += 1_001;
      await repository.claimDue('worker-a', 300_000, 1, { expiredLeases: false, candidates });
      expect(dueQueries(queries)).toBe(2);
    });
  });
});
