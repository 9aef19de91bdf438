import { VitalsError, type DynamoDBService } from '@vitals/dynamodb-core';
import { GlucoseReadingInputSchema, glucoseReadingEntity, type GlucoseReading } from '@vitals/models';
import type { Container } from 'inversify';
import { manualClock, testContainer } from '../test-support/dynamodb-local.ts';
import { GlucoseReadingRepository } from './glucose-reading.repository.ts';

const START = Date.parse('2026-03-01T00:00:00.000Z');
const at = (i: number) => new Date(START + i * 300_000).toISOString();
const input = (i: number, value = 100 + (i % 150)) => ({
  timestamp: at(i),
  glucose_value: value,
  trend_direction: 'steady',
  device_info: { device_id: 'g7', serial_number: 'SN-1' },
});

async function collectPages(
  repository: GlucoseReadingRepository,
  user: string,
  order: 'asc' | 'desc',
  limit: number,
): Promise<{ timestamps: string[]; pages: number }> {
  const timestamps: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await repository.listRange(user, { order }, { limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    timestamps.push(...page.items.map((reading) => reading.timestamp));
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null);
  return { timestamps, pages };
}

describe(GlucoseReadingRepository.name, () => {
  let container: Container;
  let db: DynamoDBService;
  let repository: GlucoseReadingRepository;
  let tablePrefix: string;
  const clock = manualClock('2026-03-05T00:00:00.000Z');

  beforeAll(async () => {
    ({ container, db, settings: { table_prefix: tablePrefix } } = await testContainer({ glucose_retention_days: 30 }, { clock }));
    repository = container.get(GlucoseReadingRepository);
  });
  afterAll(() => container.unbindAll());

  describe('.listRange with 1,000 readings and limit 37', () => {
    const user = 'user-thousand';
    const expected = Array.from({ length: 1_000 }, (_, i) => at(i));

    beforeAll(async () => {
      await repository.saveMany(user, expected.map((_, i) => input(i)));
    });

    it('ascending: every reading exactly once, in order, over 28 pages', async () => {
      const { timestamps, pages } = await collectPages(repository, user, 'asc', 37);
      expect(timestamps).toEqual(expected);
      expect(pages).toBeGreaterThanOrEqual(28);
    });

    it('descending: every reading exactly once, newest first', async () => {
      const { timestamps } = await collectPages(repository, user, 'desc', 37);
      expect(timestamps).toEqual([...expected].reverse());
    });

    it('the iterator yields the same readings', async () => {
      const seen: string[] = [];
      for await (const reading of repository.iterateRange(user)) seen.push(reading.timestamp);
      expect(seen).toEqual(expected);
    });

    it('a range is inclusive at both ends', async () => {
      const page = await repository.listRange(user, { from: at(10), to: at(19) }, { limit: 100 });
      expect(page.items.map((reading) => reading.timestamp)).toEqual(expected.slice(10, 20));
      expect(page.next_cursor).toBeNull();
    });
  });

  describe('.save / .get / .latest / .delete', () => {
    it('converts mmol/L, fills server fields and TTL, and overwrites on re-sync instead of duplicating', async () => {
      const stored = await repository.save('user-a', { ...input(0), glucose_value: 6.2, glucose_unit: 'mmol/L' });
      expect(stored).toMatchObject({
        user_id: 'user-a',
        glucose_value: 112,
        glucose_unit: 'mg/dL',
        created_at: '2026-03-05T00:00:00.000Z',
        expires_at: Date.parse('2026-03-05T00:00:00.000Z') / 1_000 + 30 * 86_400,
      });
      expect(await repository.get('user-a', at(0))).toEqual(stored);

      await repository.save('user-a', { ...input(0), glucose_value: 140 });
      const page = await repository.listRange('user-a');
      expect(page.items).toHaveLength(1);
      expect(page.items[0]?.glucose_value).toBe(140);
    });

    it('latest is the newest reading', async () => {
      await repository.saveMany('user-b', [input(5), input(9), input(7)]);
      expect((await repository.latest('user-b'))?.timestamp).toBe(at(9));
      expect(await repository.latest('user-nobody')).toBeUndefined();
    });

    it('delete removes one reading and reports whether it existed', async () => {
      await repository.save('user-c', input(1));
      expect((await repository.delete('user-c', at(1)))?.timestamp).toBe(at(1));
      expect(await repository.get('user-c', at(1))).toBeUndefined();
      expect(await repository.delete('user-c', at(1))).toBeUndefined();
    });

    it('rejects bad input with a path per problem, writing nothing', async () => {
      const error = await repository
        .saveMany('user-d', [input(0), { ...input(1), glucose_value: 5000 }, { ...input(2), extra: true }])
        .catch((e: unknown) => e);
      expect(VitalsError.is(error, 'repository.invalidInput')).toBe(true);
      expect((error as VitalsError<'repository.invalidInput'>).details.issues.map((issue) => issue.path)).toEqual([
        '1.glucose_value',
        '2',
      ]);
      expect((await repository.listRange('user-d')).items).toEqual([]);
      await expect(repository.get('user-d', 'yesterday')).rejects.toMatchObject({ code: 'repository.invalidInput' });
    });
  });

  describe('.saveManyParsed', () => {
    const parse = (body: unknown) => GlucoseReadingInputSchema.parse(body);

    it('stores parsed inputs exactly as saveMany stores the same bodies, and a re-run overwrites instead of duplicating', async () => {
      const bodies = [input(0), { ...input(1), glucose_value: 6.2, glucose_unit: 'mmol/L' }, { ...input(2), glucose_value: 39, out_of_range: 'low' }];
      const viaSaveMany = await repository.saveMany('user-bodies', bodies);
      const stored = await repository.saveManyParsed('user-parsed', bodies.map(parse));
      expect(stored).toEqual(viaSaveMany.map((reading) => ({ ...reading, user_id: 'user-parsed' })));
      expect(stored[1]).toMatchObject({ glucose_value: 112, glucose_unit: 'mg/dL', expires_at: expect.any(Number) });
      expect((await repository.listRange('user-parsed')).items).toEqual(stored);

      await repository.saveManyParsed('user-parsed', bodies.map(parse));
      expect((await repository.listRange('user-parsed')).items).toEqual(stored);
    });

    it('keeps the last of a timestamp repeated in one call', async () => {
      const stored = await repository.saveManyParsed('user-repeat', [input(0, 100), input(1), input(0, 120)].map(parse));
      expect(stored.map((reading) => [reading.timestamp, reading.glucose_value])).toEqual([
        [at(0), 120],
        [at(1), 101],
      ]);
      expect((await repository.get('user-repeat', at(0)))?.glucose_value).toBe(120);
    });

    it('still checks the user id, writing nothing; an object the schema never parsed does not type-check', async () => {
      await expect(repository.saveManyParsed('', [parse(input(0))])).rejects.toMatchObject({ code: 'repository.invalidInput' });
      // The exact shape of the schema's output, minus the brand only a parse adds.
      const unparsed = { ...input(0), glucose_unit: 'mg/dL', trend_direction: 'steady', reading_type: 'CGM', source: 'dexcom' } as const;
      // @ts-expect-error not a GlucoseReadingInput: it never went through GlucoseReadingInputSchema
      await expect(repository.saveManyParsed('', [unparsed])).rejects.toMatchObject({ code: 'repository.invalidInput' });
    });
  });

  describe('saving readings the table already holds', () => {
    it('when a reading is saved again unchanged, writes nothing: created_at and updated_at stay those of its first save', async () => {
      clock.set('2026-03-07T10:00:00.000Z');
      const first = await repository.saveMany('user-again', [input(1), input(2)]);
      clock.set('2026-03-07T11:00:00.000Z');
      const again = await repository.saveMany('user-again', [input(1), input(2)]);
      expect(again).toEqual(first);
      expect((await repository.listRange('user-again')).items).toEqual(first);
      expect((await repository.listCreatedSince('user-again', '2026-03-07T10:30:00.000Z')).items).toEqual([]);
    });

    it('when a reading changed, replaces it keeping its created_at; updated_at and the TTL are the new save\'s', async () => {
      clock.set('2026-03-08T10:00:00.000Z');
      await repository.save('user-changed', input(1, 120));
      clock.set('2026-03-08T12:00:00.000Z');
      const saved = await repository.save('user-changed', input(1, 125));
      const expected = {
        glucose_value: 125,
        created_at: '2026-03-08T10:00:00.000Z',
        updated_at: '2026-03-08T12:00:00.000Z',
        expires_at: Date.parse('2026-03-08T12:00:00.000Z') / 1_000 + 30 * 86_400,
      };
      expect(saved).toMatchObject(expected);
      expect(await repository.get('user-changed', at(1))).toEqual(saved);
    });

    it('.saveManyParsedWithCounts says how many readings were new, changed and unchanged (a repeated timestamp counts once)', async () => {
      const parse = (body: unknown) => GlucoseReadingInputSchema.parse(body);
      clock.set('2026-03-09T10:00:00.000Z');
      const first = await repository.saveManyParsedWithCounts('user-counts', [input(1), input(2), input(3), input(3)].map(parse));
      expect(first.counts).toEqual({ new: 3, changed: 0, unchanged: 0 });
      clock.set('2026-03-09T11:00:00.000Z');
      const second = await repository.saveManyParsedWithCounts('user-counts', [input(1), input(2, 99), input(3), input(4)].map(parse));
      expect(second.counts).toEqual({ new: 1, changed: 1, unchanged: 2 });
      expect(second.readings.map((reading) => [reading.timestamp, reading.glucose_value, reading.created_at, reading.updated_at])).toEqual([
        [at(1), 101, '2026-03-09T10:00:00.000Z', '2026-03-09T10:00:00.000Z'],
        [at(2), 99, '2026-03-09T10:00:00.000Z', '2026-03-09T11:00:00.000Z'],
        [at(3), 103, '2026-03-09T10:00:00.000Z', '2026-03-09T10:00:00.000Z'],
        [at(4), 104, '2026-03-09T11:00:00.000Z', '2026-03-09T11:00:00.000Z'],
      ]);
      expect((await repository.listRange('user-counts')).items).toEqual(second.readings);
    });

    it('when the stored item is invalid, replaces it as changed', async () => {
      await repository.saveMany('user-broken', [input(1)]);
      const raw = (await repository.get('user-broken', at(1))) as GlucoseReading;
      await db.items.putItem({ tableName: glucoseReadingEntity.tableName(tablePrefix), item: { ...raw, glucose_value: 'high-ish' } });
      const result = await repository.saveManyParsedWithCounts('user-broken', [GlucoseReadingInputSchema.parse(input(1))]);
      expect(result.counts).toEqual({ new: 0, changed: 1, unchanged: 0 });
      expect((await repository.get('user-broken', at(1)))?.glucose_value).toBe(101);
    });
  });

  describe('reading only the keys that may be stored (those up to the newest stored timestamp)', () => {
    const parse = (body: unknown) => GlucoseReadingInputSchema.parse(body);
    const keysRead = (spy: jest.SpiedFunction<typeof db.items.batchGetItems>) =>
      spy.mock.calls.flatMap(([params]) => params.keys.map((key) => key['timestamp'])).sort();
    afterEach(() => jest.restoreAllMocks());

    it('a backfill into an empty partition reads no key; the next, overlapping save reads only the overlap and keeps its counts and created_at', async () => {
      const batchGet = jest.spyOn(db.items, 'batchGetItems');
      clock.set('2026-03-10T10:00:00.000Z');
      const first = await repository.saveManyParsedWithCounts('user-tail', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => parse(input(i))));
      expect(first.counts).toEqual({ new: 10, changed: 0, unchanged: 0 });
      expect(keysRead(batchGet)).toEqual([]);

      clock.set('2026-03-10T11:00:00.000Z');
      const overlap = [5, 6, 7, 8, 9, 10, 11, 12].map((i) => parse(input(i, i === 6 ? 66 : undefined)));
      const second = await repository.saveManyParsedWithCounts('user-tail', overlap);
      expect(second.counts).toEqual({ new: 3, changed: 1, unchanged: 4 });
      expect(keysRead(batchGet)).toEqual([at(5), at(6), at(7), at(8), at(9)]);
      const stored = (await repository.listRange('user-tail', { from: at(5) })).items;
      expect(stored.map((reading) => [reading.timestamp, reading.glucose_value, reading.created_at, reading.updated_at])).toEqual([
        [at(5), 105, '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z'],
        [at(6), 66, '2026-03-10T10:00:00.000Z', '2026-03-10T11:00:00.000Z'],
        [at(7), 107, '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z'],
        [at(8), 108, '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z'],
        [at(9), 109, '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z'],
        [at(10), 110, '2026-03-10T11:00:00.000Z', '2026-03-10T11:00:00.000Z'],
        [at(11), 111, '2026-03-10T11:00:00.000Z', '2026-03-10T11:00:00.000Z'],
        [at(12), 112, '2026-03-10T11:00:00.000Z', '2026-03-10T11:00:00.000Z'],
      ]);
      expect(second.readings).toEqual(stored);
    });

    it('a reading another source stored ahead of the others is read and replaced as changed, not clobbered as new', async () => {
      clock.set('2026-03-11T10:00:00.000Z');
      await repository.saveMany('user-ahead', [0, 1, 2, 3, 4].map((i) => input(i)));
      await repository.save('user-ahead', { ...input(8, 180), source: 'manual', reading_type: 'manual' });

      clock.set('2026-03-11T12:00:00.000Z');
      const batchGet = jest.spyOn(db.items, 'batchGetItems');
      const saved = await repository.saveManyParsedWithCounts('user-ahead', [5, 6, 7, 8, 9, 10].map((i) => parse(input(i))));
      expect(saved.counts).toEqual({ new: 5, changed: 1, unchanged: 0 });
      expect(keysRead(batchGet)).toEqual([at(5), at(6), at(7), at(8)]);
      expect(await repository.get('user-ahead', at(8))).toMatchObject({
        glucose_value: 108,
        source: 'dexcom',
        created_at: '2026-03-11T10:00:00.000Z',
        updated_at: '2026-03-11T12:00:00.000Z',
      });
    });

    it('a newest stored item that fails the schema still bounds the reads: saved over, it is changed, not new', async () => {
      await repository.saveMany('user-broken-newest', [input(1), input(2)]);
      const raw = (await repository.get('user-broken-newest', at(2))) as GlucoseReading;
      await db.items.putItem({ tableName: glucoseReadingEntity.tableName(tablePrefix), item: { ...raw, glucose_value: 'high-ish' } });
      const result = await repository.saveManyParsedWithCounts('user-broken-newest', [input(2), input(3)].map(parse));
      expect(result.counts).toEqual({ new: 1, changed: 1, unchanged: 0 });
      expect((await repository.get('user-broken-newest', at(2)))?.glucose_value).toBe(102);
    });
  });

  describe('.listCreatedSince (user_id-created_at-index)', () => {
    it('returns only readings stored after the given instant, in storing order', async () => {
      clock.set('2026-03-06T10:00:00.000Z');
      await repository.saveMany('user-sync', [input(1), input(2)]);
      clock.set('2026-03-06T11:00:00.000Z');
      await repository.saveMany('user-sync', [input(3)]);
      const page = await repository.listCreatedSince('user-sync', '2026-03-06T10:30:00.000Z');
      expect(page.items.map((reading) => reading.timestamp)).toEqual([at(3)]);
    });
  });

  describe('cursors', () => {
    const user = 'user-cursor';
    let cursor: string;
    beforeAll(async () => {
      await repository.saveMany(user, Array.from({ length: 10 }, (_, i) => input(i)));
      cursor = (await repository.listRange(user, {}, { limit: 3 })).next_cursor as string;
      expect(typeof cursor).toBe('string');
    });

    const invalid = (reason: string) => ({ code: 'repository.invalidCursor', details: { reason } });

    it('resumes the same query', async () => {
      const next = await repository.listRange(user, {}, { limit: 3, cursor });
      expect(next.items.map((reading) => reading.timestamp)).toEqual([at(3), at(4), at(5)]);
    });

    it('rejects a tampered cursor', async () => {
      const [payload, signature] = cursor.split('.') as [string, string];
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString());
      body.k.timestamp = at(7);
      const forged = `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
      await expect(repository.listRange(user, {}, { limit: 3, cursor: forged })).rejects.toMatchObject(invalid('tampered'));
    });

    it('rejects a truncated or garbage cursor', async () => {
      await expect(repository.listRange(user, {}, { cursor: cursor.slice(0, -4) })).rejects.toMatchObject(invalid('tampered'));
      await expect(repository.listRange(user, {}, { cursor: 'not a cursor' })).rejects.toMatchObject(invalid('malformed'));
      await expect(repository.listRange(user, {}, { cursor: '' })).rejects.toMatchObject(invalid('malformed'));
    });

    it("rejects a cursor from another query (other user, other order, other range)", async () => {
      await expect(repository.listRange('user-a', {}, { cursor })).rejects.toMatchObject(invalid('foreign'));
      await expect(repository.listRange(user, { order: 'desc' }, { cursor })).rejects.toMatchObject(invalid('foreign'));
      await expect(repository.listRange(user, { from: at(2) }, { cursor })).rejects.toMatchObject(invalid('foreign'));
    });

    it('rejects a limit outside 1..1000', async () => {
      await expect(repository.listRange(user, {}, { limit: 0 })).rejects.toMatchObject({ code: 'repository.invalidInput' });
      await expect(repository.listRange(user, {}, { limit: 1001 })).rejects.toMatchObject({ code: 'repository.invalidInput' });
    });
  });

  describe('an invalid item written behind the repository\'s back', () => {
    const user = 'user-corrupt';
    beforeAll(async () => {
      await repository.saveMany(user, [input(0), input(1), input(2)]);
      const raw = (await repository.get(user, at(1))) as GlucoseReading;
      await db.items.putItem({ tableName: glucoseReadingEntity.tableName(tablePrefix), item: { ...raw, glucose_value: 'high-ish' } });
    });

    it('is skipped and reported with its key', async () => {
      const page = await repository.listRange(user);
      expect(page.items.map((reading) => reading.timestamp)).toEqual([at(0), at(2)]);
      expect(page.skipped).toEqual([
        { key: { user_id: user, timestamp: at(1) }, issues: [expect.stringContaining('glucose_value')] },
      ]);
      expect(await repository.get(user, at(1))).toBeUndefined();
    });

    it('in strict mode, raises invalidItem', async () => {
      const strict = await testContainer({ strict: true, table_prefix: tablePrefix });
      const strictRepository = strict.container.get(GlucoseReadingRepository);
      await expect(strictRepository.listRange(user)).rejects.toMatchObject({
        code: 'repository.invalidItem',
        details: { key: { user_id: user, timestamp: at(1) } },
      });
      await strict.container.unbindAll();
    });
  });
});
