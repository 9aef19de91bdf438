import type { DynamoDBService } from '@vitals/dynamodb-core';
import { defineEntity } from '@vitals/models';
import type { Container } from 'inversify';
import { z } from 'zod';
import type { RepositorySettings } from '../settings/repository-settings.ts';
import { ensureTables } from '../tables/table-plan.ts';
import { silentLogger, testContainer } from '../test-support/dynamodb-local.ts';
import { rejection } from '../test-support/rejection.ts';
import type { EntityStore } from './entity-store.ts';
import { EntityStores } from './entity-stores.ts';

/** An entity of the test's own, so the store is proven apart from any domain. */
const noteEntity = defineEntity({
  name: 'Note',
  table: 'store_notes',
  schema: z.strictObject({
    owner: z.string().regex(/^[a-z]+$/),
    at: z.string().regex(/^\d{4}$/),
    topic: z.string(),
    text: z.string(),
    version: z.number().int().min(1),
  }),
  key: { partition: 'owner', sort: 'at' },
  indexes: { 'topic-at-index': { partition: 'topic', sort: 'at' } },
});
type Note = z.output<typeof noteEntity.schema>;
type NoteIndex = 'topic-at-index';

const note = (at: string, overrides: Partial<Note> = {}): Note => ({ owner: 'ann', at, topic: 'sleep', text: `note ${at}`, version: 1, ...overrides });

describe('EntityStore', () => {
  let container: Container;
  let db: DynamoDBService;
  let settings: RepositorySettings;
  let store: EntityStore<Note, NoteIndex>;
  let table: string;

  beforeAll(async () => {
    ({ container, db, settings } = await testContainer());
    await ensureTables(db.tables, { prefix: settings.table_prefix, tables: [noteEntity.table] });
    store = container.get(EntityStores).for(noteEntity, { component: 'NoteStore' });
    table = noteEntity.tableName(settings.table_prefix);
  });
  afterAll(() => container.unbindAll());

  describe('.key', () => {
    it("when a value fails the entity's schema: repository.invalidInput naming the attribute, before any request", async () => {
      const error = await rejection(store.get({ owner: 'Ann!', at: '0900' }));
      expect(error.code).toBe('repository.invalidInput');
      expect(error.details).toMatchObject({ entity: 'Note', issues: [{ path: 'owner' }] });
      expect(() => store.key({ owner: 'ann', at: '9' })).toThrow(expect.objectContaining({ code: 'repository.invalidInput' }));
    });

    it('when the values are valid: exactly the key attributes', () => {
      expect(store.key({ owner: 'ann', at: '0900' })).toEqual({ owner: 'ann', at: '0900' });
    });
  });

  describe('.put / .get / .delete', () => {
    it('when an item is put: get returns it parsed, the table holds it under the prefixed name, delete returns what was there', async () => {
      await store.put(note('0100'));
      expect(await store.get({ owner: 'ann', at: '0100' }, { consistentRead: true })).toEqual(note('0100'));
      expect(await db.items.getItem({ tableName: table, key: { owner: 'ann', at: '0100' }, consistentRead: true })).toEqual(note('0100'));
      expect(await store.delete({ owner: 'ann', at: '0100' })).toEqual(note('0100'));
      expect(await store.get({ owner: 'ann', at: '0100' }, { consistentRead: true })).toBeUndefined();
    });

    it('when a put condition fails: repository.conflict on the key, without versions, and the stored item stands', async () => {
      await store.put(note('0200'));
      const error = await rejection(
        store.put(note('0200', { text: 'late' }), { conditionExpression: 'attribute_not_exists(#o)', expressionAttributeNames: { '#o': 'owner' } }),
      );
      expect(error.code).toBe('repository.conflict');
      expect(error.details).toEqual({ entity: 'Note', key: { owner: 'ann', at: '0200' } });
      expect((await store.get({ owner: 'ann', at: '0200' }, { consistentRead: true }))?.text).toBe('note 0200');
    });

    it('when a stored item fails the schema: get skips it (undefined); a strict store throws repository.invalidItem naming table and key', async () => {
      await db.items.putItem({ tableName: table, item: { ...note('0300'), version: 'one' } });
      expect(await store.get({ owner: 'ann', at: '0300' }, { consistentRead: true })).toBeUndefined();
      const strict = new EntityStores(db.items, silentLogger, { ...settings, strict: true }).for(noteEntity, { component: 'strict' });
      const error = await rejection(strict.get({ owner: 'ann', at: '0300' }, { consistentRead: true }));
      expect(error.code).toBe('repository.invalidItem');
      expect(error.message).toContain(table);
      expect(error.details).toMatchObject({ key: { owner: 'ann', at: '0300' }, issues: [expect.stringContaining('version')] });
    });
  });

  describe('versions', () => {
    it("when putVersioned('new') finds an item: conflict with the stored version; at the stored version: written", async () => {
      await store.putVersioned(note('0400'), 'new');
      const error = await rejection(store.putVersioned(note('0400', { text: 'again' }), 'new'));
      expect(error.details).toMatchObject({ key: { owner: 'ann', at: '0400' }, actual_version: 1 });
      await store.putVersioned(note('0400', { text: 'v2', version: 2 }), 1);
      expect((await store.get({ owner: 'ann', at: '0400' }, { consistentRead: true }))?.text).toBe('v2');
    });

    it('when update or delete expects another version: conflict with both versions, and nothing changes', async () => {
      await store.put(note('0500', { version: 3 }));
      const bump = {
        updateExpression: 'SET #text = :text, #version = #version + :one',
        conditionExpression: '#version = :expected',
        expressionAttributeNames: { '#text': 'text', '#version': 'version' },
        expressionAttributeValues: { ':text': 'bumped', ':one': 1, ':expected': 2 },
      };
      const updating = await rejection(store.update({ owner: 'ann', at: '0500' }, bump, 2));
      expect(updating.details).toMatchObject({ expected_version: 2, actual_version: 3 });
      const deleting = await rejection(store.delete({ owner: 'ann', at: '0500' }, { expectedVersion: 2 }));
      expect(deleting.details).toMatchObject({ expected_version: 2, actual_version: 3 });
      expect(await store.get({ owner: 'ann', at: '0500' }, { consistentRead: true })).toEqual(note('0500', { version: 3 }));

      const updated = await store.update({ owner: 'ann', at: '0500' }, { ...bump, expressionAttributeValues: { ...bump.expressionAttributeValues, ':expected': 3 } }, 3);
      expect(updated).toEqual(note('0500', { text: 'bumped', version: 4 }));
    });

    it('when tryUpdate loses its condition: resolves with the stored item instead of throwing', async () => {
      await store.put(note('0600'));
      const outcome = await store.tryUpdate(
        { owner: 'ann', at: '0600' },
        { updateExpression: 'SET #text = :t', conditionExpression: '#version = :v', expressionAttributeNames: { '#text': 'text', '#version': 'version' }, expressionAttributeValues: { ':t': 'x', ':v': 9 } },
      );
      expect(outcome).toMatchObject({ existing: note('0600') });
    });

    it('when an update leaves an item that fails the schema: repository.invalidItem even when not strict', async () => {
      await store.put(note('0700'));
      const error = await rejection(
        store.update({ owner: 'ann', at: '0700' }, { updateExpression: 'SET #version = :bad', expressionAttributeNames: { '#version': 'version' }, expressionAttributeValues: { ':bad': 'two' } }),
      );
      expect(error.code).toBe('repository.invalidItem');
    });
  });

  describe('.queryPage / .queryAll', () => {
    beforeAll(async () => {
      await store.putMany(Array.from({ length: 7 }, (_, i) => note(`1${i}00`, { owner: 'bob', topic: i % 2 === 0 ? 'pain' : 'meds' })));
    });

    it('when paged by an index name: every matching item exactly once, in order, across cursors', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof store.queryPage>> = await store.queryPage({ index: 'topic-at-index', partition: 'pain', sort: { gte: '1000' } }, { limit: 2, cursor });
        seen.push(...page.items.map((item) => item.at));
        cursor = page.next_cursor;
      } while (cursor !== null);
      expect(seen).toEqual(['1000', '1200', '1400', '1600']);
    });

    it("when a cursor comes from another query: repository.invalidCursor 'foreign'", async () => {
      const first = await store.queryPage({ partition: 'bob' }, { limit: 2 });
      const error = await rejection(store.queryPage({ partition: 'bob', descending: true }, { limit: 2, cursor: first.next_cursor }));
      expect(error).toMatchObject({ code: 'repository.invalidCursor', details: { reason: 'foreign' } });
    });

    it('when filtered and descending: the filter applies after the key condition, newest first', async () => {
      const filter = { expression: '#topic = :topic', names: { '#topic': 'topic' }, values: { ':topic': 'meds' } };
      const all: string[] = [];
      for await (const item of store.queryAll({ partition: 'bob', filter, descending: true })) all.push(item.at);
      expect(all).toEqual(['1500', '1300', '1100']);
    });

    it('when the limit is out of range: repository.invalidInput at limit', async () => {
      const error = await rejection(store.queryPage({ partition: 'bob' }, { limit: 1001 }));
      expect(error.details).toMatchObject({ issues: [{ path: 'limit' }] });
    });
  });

  describe('batches, transactions, scans', () => {
    it('when keys are read and deleted in batches: present ones come back as stored, then they are gone', async () => {
      await store.putMany([note('2000', { owner: 'cy' }), note('2100', { owner: 'cy' })]);
      const keys = [{ owner: 'cy', at: '2000' }, { owner: 'cy', at: '2100' }, { owner: 'cy', at: '2200' }];
      expect((await store.getManyRaw(keys, { consistentRead: true })).map((item) => item['at']).sort()).toEqual(['2000', '2100']);
      await store.deleteMany(keys);
      expect(await store.getManyRaw(keys, { consistentRead: true })).toEqual([]);
    });

    it('when one write of a transaction fails its condition: repository.conflict on the given key, and nothing is written', async () => {
      await store.put(note('2300', { owner: 'dee' }));
      const error = await rejection(
        store.transact(
          [
            { put: { item: note('2400', { owner: 'dee' }) } },
            { delete: { key: { owner: 'dee', at: '2300' }, condition: { conditionExpression: '#v = :v', expressionAttributeNames: { '#v': 'version' }, expressionAttributeValues: { ':v': 5 } } } },
          ],
          { owner: 'dee', at: '2300' },
        ),
      );
      expect(error).toMatchObject({ code: 'repository.conflict', details: { key: { owner: 'dee', at: '2300' } } });
      expect(await store.get({ owner: 'dee', at: '2400' }, { consistentRead: true })).toBeUndefined();
    });

    it('when scanned for some attributes: only those come back', async () => {
      const items = [];
      for await (const item of store.scanAttributes(['owner'])) items.push(item);
      expect(items.length).toBeGreaterThan(3);
      expect(items.every((item) => Object.keys(item).join() === 'owner')).toBe(true);
    });

    it('when getAs reads attributes that fail the given schema: repository.invalidItem even when not strict', async () => {
      await store.put(note('2500', { owner: 'eve' }));
      expect(await store.getAs({ owner: 'eve', at: '2500' }, z.object({ version: z.number() }), { attributes: ['version'], consistentRead: true })).toEqual({ version: 1 });
      const error = await rejection(store.getAs({ owner: 'eve', at: '2500' }, z.object({ version: z.string() }), { attributes: ['version'], consistentRead: true }));
      expect(error.code).toBe('repository.invalidItem');
    });
  });

  describe('.cursors', () => {
    it('when a cursor is decoded under another scope: repository.invalidCursor; under its own: the key it carries', () => {
      const march = store.cursors({ keyCondition: 'range', values: { ':from': '03' } });
      const april = store.cursors({ keyCondition: 'range', values: { ':from': '04' } });
      const cursor = march.encode({ owner: 'ann', at: '0900' });
      expect(march.decode(cursor)).toEqual({ owner: 'ann', at: '0900' });
      expect(() => april.decode(cursor)).toThrow(expect.objectContaining({ code: 'repository.invalidCursor' }));
    });
  });
});
