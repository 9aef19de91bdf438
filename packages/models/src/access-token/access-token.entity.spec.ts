import { ModelError } from '../common/model-error.ts';
import { allEntities } from '../entity/all-entities.ts';
import { toCreateTableInput, toUpdateTimeToLiveInput } from '../tables/create-table-input.ts';
import { AccessTokenTextSchema, TokenHashSchema, TokenSha1Schema, isAccessTokenText } from './access-token-text.ts';
import {
  ACCESS_TOKEN_PURGE_AFTER_DAYS,
  AccessTokenInputSchema,
  AccessTokenItemSchema,
  AccessTokenViewSchema,
  accessTokenEntity,
  accessTokenPurgeAt,
  isAccessTokenExpired,
  toAccessTokenView,
  type AccessTokenItem,
} from './access-token.entity.ts';

const TOKEN_ID = '0b6f4f3e-8d2a-4c1e-9f3a-5b7c9d1e2f30';
const HASH = 'a'.repeat(64);
const ITEM: AccessTokenItem = {
  token_hash: HASH,
  token_id: TOKEN_ID,
  user_id: 'alice',
  name: 'xDrip+ phone',
  scopes: ['readings:read', 'readings:write'],
  created_at: '2026-12-01T10:00:00.000Z',
  expires_at: '2027-03-01T10:00:00.000Z',
  purge_at: accessTokenPurgeAt('2027-03-01T10:00:00.000Z'),
};

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('access-token.entity', () => {
  describe('.table', () => {
    it('when derived from the schema, is keyed by token_hash with the user index and purge_at as TTL', () => {
      expect(accessTokenEntity.table).toEqual({
        name: 'access_tokens',
        partitionKey: { name: 'token_hash', type: 'S' },
        globalSecondaryIndexes: [
          { name: 'user_id-token_id-index', partitionKey: { name: 'user_id', type: 'S' }, sortKey: { name: 'token_id', type: 'S' } },
        ],
        ttlAttribute: 'purge_at',
      });
    });

    it('when built as CreateTable and TTL inputs, gives the table name, key, index and TTL attribute', () => {
      const input = toCreateTableInput(accessTokenEntity.table);
      expect(input.TableName).toBe('access_tokens');
      expect(input.KeySchema).toEqual([{ AttributeName: 'token_hash', KeyType: 'HASH' }]);
      expect((input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(['user_id-token_id-index']);
      expect(toUpdateTimeToLiveInput(accessTokenEntity.table)?.TimeToLiveSpecification).toEqual({ AttributeName: 'purge_at', Enabled: true });
    });

    it('when listing every entity, includes it, so tables plan/apply create its table', () => {
      expect(allEntities).toContain(accessTokenEntity);
    });
  });

  describe('.key / .indexes', () => {
    it('when building keys, checks the hash and the index key parts', () => {
      expect(accessTokenEntity.key({ token_hash: HASH })).toEqual({ token_hash: HASH });
      expect(() => accessTokenEntity.key({ token_hash: 'vat_not-a-hash' })).toThrow(ModelError);
      expect(accessTokenEntity.indexes['user_id-token_id-index'].keyCondition('alice', { eq: TOKEN_ID }).keyConditionExpression).toBe(
        '#pk = :pk AND #sk = :sk',
      );
      expect(() => accessTokenEntity.indexes['user_id-token_id-index'].keyCondition('alice', { eq: 'tok-1' })).toThrow(ModelError);
    });
  });

  describe('AccessTokenInputSchema', () => {
    it('when valid, trims the name and normalises expires_at to UTC', () => {
      expect(AccessTokenInputSchema.parse({ name: '  Mum  ', scopes: ['readings:read'], expires_at: '2027-01-01T12:00:00+02:00' })).toEqual({
        name: 'Mum',
        scopes: ['readings:read'],
        expires_at: '2027-01-01T10:00:00.000Z',
      });
      expect(AccessTokenInputSchema.parse({ name: 'x', scopes: ['admin'] })).toEqual({ name: 'x', scopes: ['admin'] });
    });

    it.each([
      [{ name: '   ', scopes: ['readings:read'] }, 'name: must not be empty'],
      [{ name: 'x'.repeat(101), scopes: ['readings:read'] }, 'name: Too big: expected string to have <=100 characters'],
      [{ name: 'bad \uD800', scopes: ['readings:read'] }, 'name: must be well-formed Unicode text (no lone surrogates)'],
      [{ name: 'x', scopes: [] }, 'scopes: must name at least one scope'],
      [{ name: 'x', scopes: ['readings:read', 'readings:read'] }, 'scopes: must name each scope once'],
      [{ name: 'x', scopes: ['readings:delete'] }, 'scopes.0: Invalid option: expected one of "readings:read"|"readings:write"|"tokens:write"|"sync:read"|"sync:write"|"health:read"|"health:write"|"admin"'],
      [{ name: 'x', scopes: ['readings:read'], expires_at: 'tomorrow' }, 'expires_at: must be an RFC 3339 date-time with an offset, e.g. 2026-05-01T08:00:00Z or 2026-05-01T10:00:00+02:00'],
      [{ name: 'x', scopes: ['readings:read'], token_hash: HASH }, ': Unrecognized key: "token_hash"'],
    ])('when given %j, refuses it at its path', (input, issue) => {
      expect(issuesOf(AccessTokenInputSchema.safeParse(input))).toEqual([issue]);
    });
  });

  describe('toAccessTokenView', () => {
    it('when given a stored item, copies the view fields only: no hash, no TTL, last_used_at null when never used', () => {
      const view = toAccessTokenView(ITEM);
      expect(view).toEqual({
        token_id: TOKEN_ID,
        user_id: 'alice',
        name: 'xDrip+ phone',
        scopes: ['readings:read', 'readings:write'],
        created_at: '2026-12-01T10:00:00.000Z',
        expires_at: '2027-03-01T10:00:00.000Z',
        last_used_at: null,
      });
      expect(AccessTokenViewSchema.parse(view)).toEqual(view);
      expect(AccessTokenViewSchema.safeParse({ ...view, token_hash: HASH }).success).toBe(false);
      expect(AccessTokenItemSchema.parse(ITEM)).toEqual(ITEM);
    });
  });

  describe('accessTokenPurgeAt / isAccessTokenExpired', () => {
    it('when a token expires, purges it the documented number of days later, and counts it expired from that instant', () => {
      expect(accessTokenPurgeAt('2027-03-01T00:00:00.000Z')).toBe(Date.UTC(2027, 2, 1) / 1000 + ACCESS_TOKEN_PURGE_AFTER_DAYS * 86_400);
      expect(isAccessTokenExpired('2027-03-01T00:00:00.000Z', new Date('2027-02-28T23:59:59.999Z'))).toBe(false);
      expect(isAccessTokenExpired('2027-03-01T00:00:00.000Z', new Date('2027-03-01T00:00:00.000Z'))).toBe(true);
      expect(isAccessTokenExpired(null, new Date('9999-01-01T00:00:00.000Z'))).toBe(false);
    });
  });

  describe('token text and hashes', () => {
    it('when checking shapes, accepts vat_ + 43 base64url characters and lowercase hex hashes only', () => {
      const text = `vat_${'A-_z9'.repeat(8)}abc`;
      expect(text).toHaveLength(47);
      expect(isAccessTokenText(text)).toBe(true);
      expect(AccessTokenTextSchema.safeParse(text).success).toBe(true);
      expect(isAccessTokenText(`${text}d`)).toBe(false);
      expect(isAccessTokenText(text.replace('vat_', 'pat_'))).toBe(false);
      expect(isAccessTokenText(`${text.slice(0, -1)}=`)).toBe(false);
      expect(TokenSha1Schema.safeParse('f'.repeat(40)).success).toBe(true);
      expect(TokenSha1Schema.safeParse('F'.repeat(40)).success).toBe(false);
      expect(TokenHashSchema.safeParse('0'.repeat(64)).success).toBe(true);
      expect(TokenHashSchema.safeParse('0'.repeat(40)).success).toBe(false);
    });
  });
});
