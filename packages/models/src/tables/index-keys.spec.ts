import { z } from 'zod';
import { ModelError } from '../common/model-error.ts';
import { defineCompositeKeys, definePartitionKeys } from './index-keys.ts';

const orders = defineCompositeKeys({
  context: 'orders',
  indexName: 'customer-placed_at-index',
  partition: { name: 'customer', schema: z.string().min(1) },
  sort: { name: 'placed_at', schema: z.string().regex(/^\d{4}$/) },
});

const counters = definePartitionKeys({
  context: 'counters',
  partition: { name: 'level', schema: z.number().int() },
});

describe('index-keys', () => {
  describe('.defineCompositeKeys', () => {
    it('when building parts, returns one-attribute key objects named after the index keys', () => {
      expect(orders.partition('c1')).toEqual({ customer: 'c1' });
      expect(orders.sort('2025')).toEqual({ placed_at: '2025' });
      expect(orders.indexName).toBe('customer-placed_at-index');
      expect([orders.partitionKey, orders.sortKey]).toEqual(['customer', 'placed_at']);
    });

    it('when a value fails its schema, throws models.invalidKey naming the attribute and value', () => {
      let thrown: unknown;
      try {
        orders.sort('25');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ModelError);
      expect((thrown as ModelError).code).toBe('models.invalidKey');
      expect((thrown as ModelError).message).toContain('orders: placed_at "25"');
    });

    it('when querying a partition only, aliases the name and value', () => {
      expect(orders.keyCondition('c1')).toEqual({
        indexName: 'customer-placed_at-index',
        keyConditionExpression: '#pk = :pk',
        expressionAttributeNames: { '#pk': 'customer' },
        expressionAttributeValues: { ':pk': 'c1' },
      });
    });

    it.each([
      [{ eq: '2025' }, '#sk = :sk'],
      [{ lt: '2025' }, '#sk < :sk'],
      [{ lte: '2025' }, '#sk <= :sk'],
      [{ gt: '2025' }, '#sk > :sk'],
      [{ gte: '2025' }, '#sk >= :sk'],
      [{ beginsWith: '20' }, 'begins_with(#sk, :sk)'],
    ])('when the sort condition is %p, emits %s', (condition, expression) => {
      const input = orders.keyCondition('c1', condition);
      expect(input.keyConditionExpression).toBe(`#pk = :pk AND ${expression}`);
      expect(input.expressionAttributeNames).toEqual({ '#pk': 'customer', '#sk': 'placed_at' });
      expect(input.expressionAttributeValues[':sk']).toBe(Object.values(condition)[0]);
    });

    it('when the sort condition is between, binds both bounds', () => {
      expect(orders.keyCondition('c1', { between: ['2020', '2025'] })).toMatchObject({
        keyConditionExpression: '#pk = :pk AND #sk BETWEEN :sk AND :sk_hi',
        expressionAttributeValues: { ':pk': 'c1', ':sk': '2020', ':sk_hi': '2025' },
      });
    });

    it('when between bounds are reversed or invalid, throws before DynamoDB would', () => {
      expect(() => orders.keyCondition('c1', { between: ['2025', '2020'] })).toThrow(/bounds reversed/);
      expect(() => orders.keyCondition('c1', { between: ['2020', '20x5'] })).toThrow(ModelError);
      expect(() => orders.keyCondition('', { eq: '2020' })).toThrow(ModelError);
      expect(() => orders.keyCondition('c1', { beginsWith: '' })).toThrow(ModelError);
    });
  });

  describe('.definePartitionKeys', () => {
    it('when the key is the table key, has no indexName', () => {
      expect(counters.keyCondition(3)).toEqual({
        keyConditionExpression: '#pk = :pk',
        expressionAttributeNames: { '#pk': 'level' },
        expressionAttributeValues: { ':pk': 3 },
      });
      expect(counters.partition(3)).toEqual({ level: 3 });
      expect(() => counters.partition(1.5)).toThrow(ModelError);
    });
  });
});
