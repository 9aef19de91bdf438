import { omit } from '../common/omit.ts';
import {
  UserTokenInputSchema,
  UserTokenItemSchema,
  UserTokenMetadataSchema,
  UserTokenSchema,
  toUserTokenMetadata,
} from './user-token.schema.ts';
import type { UserTokenItem } from './user-token.schema.ts';

const input = {
  access_token: 'at-secret',
  refresh_token: 'rt-secret',
  token_type: 'Bearer',
  scope: 'offline_access egv',
  expires_at: 1_780_000_000,
};
const managed = {
  user_id: 'u1',
  provider: 'dexcom',
  created_at: '2025-05-23T13:00:00.000Z',
  updated_at: '2025-05-23T13:00:00.000Z',
  version: 1,
};
const item: UserTokenItem = {
  ...managed,
  token_type: 'Bearer',
  scope: 'offline_access egv',
  expires_at: 1_780_000_000,
  access_token_enc: 'v1.iv.ciphertext.tag',
  refresh_token_enc: 'v1.iv.ciphertext2.tag',
  key_id: 'k-2025-05',
};

describe('user-token', () => {
  describe('.UserTokenInputSchema', () => {
    it('when the body holds the tokens and expiry, accepts it', () => {
      expect(UserTokenInputSchema.parse(input)).toEqual(input);
      expect(UserTokenInputSchema.parse({ ...input, scope: '' }).scope).toBe('');
    });

    it.each([
      ['no refresh_token', { ...input, refresh_token: undefined }],
      ['an empty access_token', { ...input, access_token: '' }],
      ['an ISO expires_at', { ...input, expires_at: '2026-01-01T00:00:00.000Z' }],
      ['server fields (version)', { ...input, version: 1 }],
      ['ciphertext fields', { ...input, access_token_enc: 'x' }],
      ['an unknown field', { ...input, id_token: 'x' }],
    ])('when the body has %s, rejects it', (_label, body) => {
      expect(UserTokenInputSchema.safeParse(body).success).toBe(false);
    });
  });

  describe('.UserTokenSchema', () => {
    it('when plain tokens and managed fields are present, accepts them; version 0 is rejected', () => {
      expect(UserTokenSchema.safeParse({ ...input, ...managed }).success).toBe(true);
      expect(UserTokenSchema.safeParse({ ...input, ...managed, version: 0 }).success).toBe(false);
    });
  });

  describe('.UserTokenItemSchema', () => {
    it('when the stored item holds ciphertext and key id, accepts it', () => {
      expect(UserTokenItemSchema.parse(item)).toEqual(item);
    });

    it('when the stored item holds plain tokens, rejects it (never store tokens in the clear)', () => {
      expect(UserTokenItemSchema.safeParse({ ...item, access_token: 'at-secret' }).success).toBe(false);
      expect(UserTokenItemSchema.safeParse(omit(item, 'key_id')).success).toBe(false);
    });
  });

  describe('.UserTokenMetadataSchema', () => {
    it('when given the full item, rejects the token and key fields', () => {
      expect(UserTokenMetadataSchema.safeParse(item).success).toBe(false);
    });
  });

  describe('.toUserTokenMetadata', () => {
    it('when given an item or plain token, keeps only metadata', () => {
      const expected = { ...managed, token_type: 'Bearer', scope: 'offline_access egv', expires_at: 1_780_000_000 };
      expect(toUserTokenMetadata(item)).toEqual(expected);
      expect(toUserTokenMetadata({ ...input, ...managed })).toEqual(expected);
      expect(JSON.stringify(toUserTokenMetadata({ ...input, ...managed }))).not.toContain('secret');
      expect(UserTokenMetadataSchema.safeParse(toUserTokenMetadata(item)).success).toBe(true);
    });
  });
});
