import { z } from 'zod';
import { ModelError } from '../common/model-error.ts';
import { toCreateTableInput, toUpdateTimeToLiveInput } from '../tables/create-table-input.ts';
import { defineEntity } from './define-entity.ts';

const Order = z.strictObject({
  customer: z.string().min(1),
  placed_at: z.string().regex(/^\d{4}$/),
  status: z.enum(['open', 'shipped']),
  priority: z.number().int().min(0).max(9).optional(),
  note: z.string().optional(),
  paid: z.boolean(),
  expires_at: z.number().int().optional(),
});

const orders = defineEntity({
  name: 'Order',
  table: 'orders',
  schema: Order,
  key: { partition: 'customer', sort: 'placed_at' },
  indexes: {
    'status-placed_at-index': { partition: 'status', sort: 'placed_at' },
    'priority-index': { partition: 'priority' },
  },
  ttlAttribute: 'expires_at',
});

/** The error a definition throws; fails the test if it throws none or something else. */
function definitionError(define: () => unknown): ModelError {
  try {
    define();
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('the definition was accepted');
}

function expectDefinitionError(define: () => unknown, message: string): void {
  const error = definitionError(define);
  expect(error.code).toBe('models.invalidEntityDefinition');
  expect(error.message).toBe(message);
}

describe('define-entity', () => {
  describe('.defineEntity', () => {
    it('when the definition matches its schema, derives the table with key types read from the schema', () => {
      expect(orders.name).toBe('Order');
      expect(orders.schema).toBe(Order);
      expect(orders.table).toEqual({
        name: 'orders',
        partitionKey: { name: 'customer', type: 'S' },
        sortKey: { name: 'placed_at', type: 'S' },
        globalSecondaryIndexes: [
          {
            name: 'status-placed_at-index',
            partitionKey: { name: 'status', type: 'S' },
            sortKey: { name: 'placed_at', type: 'S' },
          },
          { name: 'priority-index', partitionKey: { name: 'priority', type: 'N' } },
        ],
        ttlAttribute: 'expires_at',
      });
      expect(toCreateTableInput(orders.table, { prefix: 'dev-' }).TableName).toBe('dev-orders');
      expect(toUpdateTimeToLiveInput(orders.table)?.TimeToLiveSpecification.AttributeName).toBe('expires_at');
    });

    it('when naming the deployed table, puts the prefix in front and checks the result', () => {
      expect(orders.tableName()).toBe('orders');
      expect(orders.tableName('dev-')).toBe('dev-orders');
      expect(() => orders.tableName('dev env/')).toThrow(expect.objectContaining({ code: 'models.invalidTableName' }));
    });

    it('when building keys, checks each value with its attribute schema and names the table', () => {
      expect(orders.key({ customer: 'c1', placed_at: '2025' })).toEqual({ customer: 'c1', placed_at: '2025' });
      expect(() => orders.key({ customer: 'c1', placed_at: '25' })).toThrow(
        expect.objectContaining({ code: 'models.invalidKey', message: expect.stringContaining('orders: placed_at "25"') }),
      );
      expect(() => orders.key({ customer: '', placed_at: '2025' })).toThrow(ModelError);
      expect(orders.primary.indexName).toBeUndefined();
    });

    it('when picking the key of an item, copies the key attributes only, unchecked', () => {
      const item = { customer: 'c1', placed_at: '25', status: 'open', paid: true } as const;
      expect(orders.keyOf(item)).toEqual({ customer: 'c1', placed_at: '25' });
    });

    it('when reaching an index by name, gives its key builders with the index name and value types', () => {
      const byStatus = orders.indexes['status-placed_at-index'];
      expect(byStatus.indexName).toBe('status-placed_at-index');
      expect(byStatus.keyCondition('open', { gte: '2020' })).toEqual({
        indexName: 'status-placed_at-index',
        keyConditionExpression: '#pk = :pk AND #sk >= :sk',
        expressionAttributeNames: { '#pk': 'status', '#sk': 'placed_at' },
        expressionAttributeValues: { ':pk': 'open', ':sk': '2020' },
      });
      expect(orders.indexes['priority-index'].partition(3)).toEqual({ priority: 3 });
      // An optional attribute keys a sparse index; a present value must still pass its schema.
      expect(() => orders.indexes['priority-index'].partition(10)).toThrow(ModelError);
      expect(() => byStatus.partition('lost' as 'open')).toThrow(ModelError);
      expect(Object.keys(orders.indexes)).toEqual(['status-placed_at-index', 'priority-index']);
    });

    it('when typed, accepts only declared index names and each attribute’s value type', () => {
      // @ts-expect-error -- not a declared index
      expect(orders.indexes['by-note']).toBeUndefined();
      // @ts-expect-error -- priority is a number
      expect(() => orders.indexes['priority-index'].partition('3')).toThrow(ModelError);
      // @ts-expect-error -- status is one of the enum's values
      expect(() => orders.indexes['status-placed_at-index'].partition('lost')).toThrow(ModelError);
      // @ts-expect-error -- a partition-only key has no sort builder
      expect(orders.indexes['priority-index'].sort).toBeUndefined();
      // @ts-expect-error -- the whole key is needed
      expect(() => orders.key({ customer: 'c1' })).toThrow(ModelError);
    });

    it('when a union member lacks an index attribute, accepts it: the index is sparse', () => {
      const Entry = z.strictObject({ day: z.string(), at: z.string(), level: z.number().int() });
      const Marker = z.strictObject({ day: z.string(), at: z.string(), of: z.string() });
      const log = defineEntity({
        name: 'Log',
        table: 'logs',
        schema: z.union([Entry, Marker]),
        key: { partition: 'day', sort: 'at' },
        indexes: { 'level-index': { partition: 'level', sort: 'day' } },
      });
      expect(log.table.globalSecondaryIndexes[0]?.partitionKey).toEqual({ name: 'level', type: 'N' });
      expect(log.indexes['level-index'].partition(4)).toEqual({ level: 4 });
    });

    it('when keySchemas overrides an attribute, checks key values with it instead of the schema', () => {
      const Item = z.strictObject({ id: z.string(), kind: z.string() });
      const entity = defineEntity({
        name: 'Item',
        table: 'items',
        schema: Item,
        key: { partition: 'id' },
        keySchemas: { id: z.string().regex(/^i-\d+$/) },
      });
      expect(entity.key({ id: 'i-1' })).toEqual({ id: 'i-1' });
      expect(() => entity.key({ id: 'x' })).toThrow(ModelError);
    });

    it.each([
      ['a uuid', z.uuid(), 'S'],
      ['an integer', z.int(), 'N'],
      ['a refined string', z.string().refine((value) => value !== 'x'), 'S'],
      ['a branded string', z.string().brand<'Id'>(), 'S'],
      ['a pipe into a string', z.string().transform((value) => value.trim()).pipe(z.string()), 'S'],
      ['an enum', z.enum(['a', 'b']), 'S'],
      ['a number literal', z.literal(3), 'N'],
      ['a string with a default', z.string().default('a'), 'S'],
      ['a union of strings', z.union([z.literal('a'), z.string().min(3)]), 'S'],
      ['a template literal', z.templateLiteral(['u-', z.number()]), 'S'],
    ])('when the key attribute is %s, takes it as key type %s', (_label, schema, type) => {
      const entity = defineEntity({ name: 'T', table: 'things', schema: z.object({ id: schema }), key: { partition: 'id' } });
      expect(entity.table.partitionKey).toEqual({ name: 'id', type });
    });
  });

  describe('.defineEntity (checks at definition time)', () => {
    const Thing = z.strictObject({
      id: z.string(),
      at: z.string(),
      count: z.number(),
      label: z.string().optional(),
      flag: z.boolean(),
      maybe: z.string().nullable(),
      size: z.string().transform((value) => value.length),
    });

    it('when the schema is not an object or a union of objects, throws', () => {
      expectDefinitionError(
        // @ts-expect-error -- a string has no attributes to key by
        () => defineEntity({ name: 'Bad', table: 'bad', schema: z.string(), key: { partition: 'id' } }),
        'entity Bad: schema must be an object or a union of objects, not string',
      );
    });

    it('when a table key attribute is not in the schema, throws naming it', () => {
      expectDefinitionError(
        // @ts-expect-error -- not an attribute of Thing
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'thing_id' } }),
        'entity Bad: table key attribute "thing_id" is not in the schema',
      );
      expect(definitionError(() => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id', sort: 'when' as 'at' } })).details).toEqual({
        entity: 'Bad',
        attribute: 'when',
      });
    });

    it('when a table key attribute is missing from one member of a union, throws naming the member', () => {
      const A = z.strictObject({ id: z.string(), at: z.string() });
      const B = z.strictObject({ id: z.string(), seq: z.number() });
      expectDefinitionError(
        // @ts-expect-error -- `at` is not in every member
        () => defineEntity({ name: 'Bad', table: 'bad', schema: z.union([A, B]), key: { partition: 'id', sort: 'at' } }),
        `entity Bad: table key attribute "at" is not in member 2 of the schema's union`,
      );
    });

    it('when a table key attribute is optional, throws: every item must carry its key', () => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id', sort: 'label' } }),
        'entity Bad: table key attribute "label" is optional, but every item must carry its table key',
      );
    });

    it('when an index attribute is in no member of the schema, throws naming the index', () => {
      expectDefinitionError(
        () =>
          defineEntity({
            name: 'Bad',
            table: 'bad',
            schema: Thing,
            key: { partition: 'id' },
            // @ts-expect-error -- not an attribute of Thing
            indexes: { 'by-owner': { partition: 'owner' } },
          }),
        'entity Bad: index "by-owner" key attribute "owner" is not in the schema',
      );
    });

    it.each([
      ['flag', 'entity Bad: index "by-x" key attribute "flag" is of type boolean, not a string or number'],
      ['maybe', 'entity Bad: index "by-x" key attribute "maybe" is nullable, and a key attribute cannot be null'],
      ['size', 'entity Bad: index "by-x" key attribute "size" is transformed, so its stored type is unknown'],
    ] as const)('when an index attribute (%s) is not key-compatible, throws saying why', (attribute, message) => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, indexes: { 'by-x': { partition: attribute } } }),
        message,
      );
    });

    it('when a table key attribute is not key-compatible, throws saying why', () => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'flag' } }),
        'entity Bad: table key attribute "flag" is of type boolean, not a string or number',
      );
    });

    it('when one attribute is a string in one union member and a number in another, throws', () => {
      const A = z.strictObject({ id: z.string(), at: z.string() });
      const B = z.strictObject({ id: z.string(), at: z.number() });
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: z.union([A, B]), key: { partition: 'id', sort: 'at' } }),
        'entity Bad: attribute "at" is both S and N; a key attribute has one type',
      );
    });

    it('when keySchemas gives an attribute another type than the schema, throws', () => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, keySchemas: { id: z.number() } }),
        'entity Bad: attribute "id" is both S and N; a key attribute has one type',
      );
    });

    it('when keySchemas names an attribute no key uses, throws rather than ignore it', () => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, keySchemas: { at: z.string() } }),
        'entity Bad: keySchemas.at names no key or index attribute',
      );
    });

    it('when the TTL attribute is not in the schema, throws', () => {
      expectDefinitionError(
        // @ts-expect-error -- not an attribute of Thing
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, ttlAttribute: 'expires_at' }),
        'entity Bad: TTL attribute "expires_at" is not in the schema',
      );
    });

    it('when the TTL attribute is not a number, throws: DynamoDB TTL reads epoch seconds', () => {
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, ttlAttribute: 'at' }),
        'entity Bad: TTL attribute "at" must be a number (epoch seconds), not a string',
      );
      expectDefinitionError(
        () => defineEntity({ name: 'Bad', table: 'bad', schema: Thing, key: { partition: 'id' }, ttlAttribute: 'flag' }),
        'entity Bad: TTL attribute "flag" is of type boolean, not a string or number',
      );
    });
  });
});
