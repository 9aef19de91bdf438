import { DYNAMODB_CORE_TOKENS, VitalsError, type Key, type Logger } from '@vitals/dynamodb-core';
import {
  IsoInstantSchema,
  UserTokenInputSchema,
  VersionSchema,
  toUserTokenMetadata,
  userTokenEntity,
  type UserToken,
  type UserTokenInput,
  type UserTokenItem,
  type UserTokenMetadata,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { validInput } from '../base/validate.ts';
import { invalidItem } from '../errors/repository-errors.ts';
import { REPOSITORY_TOKENS, type Clock } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import type { Page, PageRequest, StoreAction } from '../store/store-types.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { TokenCipher, USER_TOKEN_KEYS, type TokenKeyRing } from './token-cipher.ts';
import { decryptionFailedAt } from './user-token.errors.ts';

const ENTITY = userTokenEntity.name;

type TokenField = 'access_token' | 'refresh_token';
type TokenKey = { user_id: string; provider: string };

/** What `save` compares the stored version with: a number, or `'new'` for "nothing may be stored yet". */
export type UserTokenExpectedVersion = number | 'new';

/** The outcome of {@link UserTokenRepository.rotate}. */
export interface TokenRotation {
  /** False when both tokens were already under the current key (nothing was written). */
  rotated: boolean;
  token: UserTokenMetadata;
}

/** Longest refresh lease: a refresh is one HTTP call. */
const MAX_REFRESH_LEASE_MS = 600_000;
const RefreshLeaseSchema = z.strictObject({
  owner: z.string().min(1).max(256),
  version: VersionSchema,
  lease_ms: z.number().int().min(1).max(MAX_REFRESH_LEASE_MS),
});
const ExpectedVersionSchema = z.union([VersionSchema, z.literal('new')]).optional();
/** What `save` needs of the stored item: its version to lock on and the creation time to keep. */
const StoredVersionSchema = z.object({ version: VersionSchema, created_at: IsoInstantSchema });

/**
 * The associated data a token ciphertext is sealed with: its logical table,
 * item and field. A ciphertext copied into another user's item, another
 * provider's, or the other token field no longer decrypts. The table prefix is
 * left out on purpose, so a backup restored under another prefix still opens.
 */
function sealContext(key: TokenKey, field: TokenField): string {
  return JSON.stringify([userTokenEntity.table.name, key.user_id, key.provider, field]);
}

/**
 * A user's OAuth token sets, one per provider (the token sets table). Access and
 * refresh tokens are stored only as AES-256-GCM ciphertext with the id of
 * the key that sealed them; they come back in the clear only from
 * {@link UserTokenRepository.get}, for the code that calls the provider. Everything else returns
 * {@link UserTokenMetadata}. Nothing here logs a token.
 *
 * Every write is conditional on the `version` read before it, so of two
 * racing writers the second gets `repository.conflict` instead of silently
 * overwriting the first.
 */
@injectable()
export class UserTokenRepository {
  private readonly store: EntityStore<UserTokenItem, 'provider-expires_at-index'>;
  private readonly cipher: TokenCipher;
  private readonly log: Logger;

  /** Throws `config.invalid` when the key ring is unusable (naming key ids, never keys). */
  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
    @inject(USER_TOKEN_KEYS) keyRing: TokenKeyRing,
  ) {
    this.cipher = new TokenCipher(keyRing);
    this.log = logger.child({ component: 'UserTokenRepository' });
    this.store = stores.for(userTokenEntity, { component: 'UserTokenRepository' });
  }

  /**
   * Validates and stores a provider's token set for a user, both tokens
   * encrypted with the current key. `created_at` is kept from the stored set,
   * `updated_at` is now, `version` goes up by one (1 for a new set).
   *
   * - `expectedVersion` omitted: an upsert that locks on the version it reads
   *   first; a save that lands in between makes this one fail with
   *   `repository.conflict` (read again and retry if last-write-wins is what
   *   you want).
   * - `expectedVersion` a number: stores only if the stored version is exactly
   *   that, else `repository.conflict`.
   * - `expectedVersion` `'new'`: stores only if there is no token set yet.
   *
   * Resolves with the metadata of what was stored; never the tokens.
   */
  async save(userId: string, provider: string, input: unknown, expectedVersion?: UserTokenExpectedVersion): Promise<UserTokenMetadata> {
    const { item, expected } = await this.sealForSave(userId, provider, input, expectedVersion);
    await this.store.putVersioned(item, expected);
    return toUserTokenMetadata(item);
  }

  /**
   * `save` as one action of a transaction across tables (for a service that
   * stores the tokens together with what they belong to): validated, sealed
   * and conditioned exactly as `save` would write it. A failed condition is
   * the transaction's `repository.conflict`.
   */
  async saveAction(
    userId: string,
    provider: string,
    input: unknown,
    expectedVersion?: UserTokenExpectedVersion,
  ): Promise<{ action: StoreAction; token: UserTokenMetadata }> {
    const { item, expected } = await this.sealForSave(userId, provider, input, expectedVersion);
    return { action: this.store.putVersionedAction(item, expected), token: toUserTokenMetadata(item) };
  }

  /** The item `save` writes and the version it locks on. */
  private async sealForSave(
    userId: string,
    provider: string,
    input: unknown,
    expectedVersion: UserTokenExpectedVersion | undefined,
  ): Promise<{ item: UserTokenItem; expected: number | 'new' }> {
    const key = this.store.key({ user_id: userId, provider });
    const token = validInput(UserTokenInputSchema, input, ENTITY);
    validInput(ExpectedVersionSchema, expectedVersion, ENTITY, 'expected_version');

    const stored = expectedVersion === 'new' ? undefined : await this.storedVersion(key);
    const expected = expectedVersion ?? stored?.version ?? 'new';
    const now = this.clock.now().toISOString();
    const item = this.seal(key, token, {
      created_at: stored?.created_at ?? now,
      updated_at: now,
      version: expected === 'new' ? 1 : expected + 1,
    });
    return { item, expected };
  }

  /**
   * The token set with both tokens decrypted (strongly consistent read), or
   * undefined. Memory only: never return, store or log what this resolves.
   * A ciphertext that does not open is `repository.decryptionFailed`.
   */
  async get(userId: string, provider: string): Promise<UserToken | undefined> {
    const item = await this.getItem(userId, provider);
    return item === undefined ? undefined : this.open(item);
  }

  /**
   * The token sets stored under `keys`, decrypted, read as `get` reads one
   * (strongly consistent) but in one BatchGetItem per 100 keys: those
   * stored, in no particular order. A stored item that fails the schema is
   * left out and reported by key. For code that calls the provider (the
   * sync worker reads ahead the sets of the jobs it lists), memory only.
   */
  async getMany(keys: readonly { user_id: string; provider: string }[]): Promise<UserToken[]> {
    const raws = await this.store.getManyRaw(
      keys.map(({ user_id, provider }) => ({ user_id, provider })),
      { consistentRead: true },
    );
    const { items, skipped } = this.store.parseItems(raws);
    this.store.reportSkipped(skipped);
    return items.map((item) => this.open(item));
  }

  /** What may be shown about a token set (no tokens, no key id), without decrypting anything; or undefined. */
  async getMetadata(userId: string, provider: string): Promise<UserTokenMetadata | undefined> {
    const item = await this.getItem(userId, provider);
    return item === undefined ? undefined : toUserTokenMetadata(item);
  }

  /**
   * Deletes a token set; resolves with the metadata of what was deleted, or
   * undefined when there was none. With `expectedVersion`, deletes only that
   * version, else `repository.conflict` and nothing is deleted.
   */
  async delete(userId: string, provider: string, expectedVersion?: number): Promise<UserTokenMetadata | undefined> {
    const key = this.store.key({ user_id: userId, provider });
    validInput(VersionSchema.optional(), expectedVersion, ENTITY, 'expected_version');
    const deleted = await this.store.delete(key, { expectedVersion });
    return deleted === undefined ? undefined : toUserTokenMetadata(deleted);
  }

  /**
   * One page of a provider's token sets whose access token expires strictly
   * before `before` (epoch seconds), soonest first, via
   * `provider-expires_at-index`: what a refresh sweep works through. Metadata
   * only: nothing is decrypted here, the refresher calls {@link UserTokenRepository.get} for the
   * one set it is about to refresh.
   */
  async listExpiringBefore(provider: string, before: number, page: PageRequest = {}): Promise<Page<UserTokenMetadata>> {
    const result = await this.store.queryPage({ index: 'provider-expires_at-index', partition: provider, sort: { lt: before } }, page);
    return { ...result, items: result.items.map(toUserTokenMetadata) };
  }

  /**
   * Takes the refresh lease of the token set stored at `version` for
   * `owner` until now + `leaseMs`, in one versioned update (`version` + 1):
   * only the holder spends the refresh token, so two workers never send the
   * same one to the provider. The holder stores the new set with
   * `save(userId, provider, fresh, leased.version)`, which drops the lease.
   *
   * Resolves with the set decrypted at its new version, or `undefined` when
   * it is no longer at `version` or another owner holds a live lease: the
   * loser re-reads with {@link UserTokenRepository.get} until the new set is
   * stored. A lease left by a holder that died expires and may be taken over.
   */
  async leaseRefresh(userId: string, provider: string, owner: string, version: number, leaseMs: number): Promise<UserToken | undefined> {
    const key = this.store.key({ user_id: userId, provider });
    validInput(RefreshLeaseSchema, { owner, version, lease_ms: leaseMs }, ENTITY);
    const now = this.clock.now();
    const outcome = await this.store.tryUpdate(key, {
      updateExpression: 'SET #owner = :owner, #until = :until, #version = #version + :one, #updated_at = :now',
      conditionExpression: '#version = :version AND (attribute_not_exists(#until) OR #until < :now OR #owner = :owner)',
      expressionAttributeNames: { '#owner': 'refresh_lease_owner', '#until': 'refresh_lease_expires_at', '#version': 'version', '#updated_at': 'updated_at' },
      expressionAttributeValues: {
        ':owner': owner,
        ':until': new Date(now.getTime() + leaseMs).toISOString(),
        ':version': version,
        ':now': now.toISOString(),
        ':one': 1,
      },
    });
    if (!('written' in outcome)) return undefined;
    const item = this.store.parseOne(outcome.written);
    if (item === undefined) throw invalidItem(ENTITY, key, ['the leased token set fails its schema'], { afterUpdate: true });
    this.log.info({ user_id: userId, provider, version: item.version }, 'refresh lease taken');
    return this.open(item);
  }

  /**
   * Re-encrypts a token set with the current key when either token is under
   * an older one (a write like any other: `version` + 1, `updated_at` now,
   * `repository.conflict` if it changed meanwhile). Resolves undefined when
   * there is no such set. `save` always writes with the current key, so
   * rotation is only needed for sets nobody saves.
   */
  async rotate(userId: string, provider: string): Promise<TokenRotation | undefined> {
    const item = await this.getItem(userId, provider);
    if (item === undefined) return undefined;
    const current = this.cipher.currentKeyId;
    if (
      item.key_id === current &&
      this.cipher.keyIdOf(item.access_token_enc) === current &&
      this.cipher.keyIdOf(item.refresh_token_enc) === current
    ) {
      return { rotated: false, token: toUserTokenMetadata(item) };
    }
    const plain = this.open(item);
    const next = this.seal(item, plain, {
      created_at: item.created_at,
      updated_at: this.clock.now().toISOString(),
      version: item.version + 1,
    });
    await this.store.putVersioned(next, item.version);
    this.log.info(
      { user_id: item.user_id, provider: item.provider, from_key_id: item.key_id, to_key_id: current, version: next.version },
      'token set re-encrypted with the current key',
    );
    return { rotated: true, token: toUserTokenMetadata(next) };
  }

  private async getItem(userId: string, provider: string): Promise<UserTokenItem | undefined> {
    // Strongly consistent: a refresher must never act on a refresh token that was already replaced.
    return this.store.get({ user_id: userId, provider }, { consistentRead: true });
  }

  /**
   * The version and creation time `save` locks on and keeps, read without the
   * ciphertexts. A stored set without a usable version cannot take part in
   * optimistic locking, so it is reported as `repository.invalidItem` rather
   * than overwritten blindly.
   */
  private async storedVersion(key: TokenKey): Promise<z.infer<typeof StoredVersionSchema> | undefined> {
    return this.store.getAs(key, StoredVersionSchema, { consistentRead: true, attributes: ['version', 'created_at'] });
  }

  private seal(
    key: TokenKey,
    token: UserTokenInput,
    managed: Pick<UserTokenItem, 'created_at' | 'updated_at' | 'version'>,
  ): UserTokenItem {
    return {
      user_id: key.user_id,
      provider: key.provider,
      token_type: token.token_type,
      scope: token.scope,
      expires_at: token.expires_at,
      access_token_enc: this.cipher.encrypt(token.access_token, sealContext(key, 'access_token')),
      refresh_token_enc: this.cipher.encrypt(token.refresh_token, sealContext(key, 'refresh_token')),
      key_id: this.cipher.currentKeyId,
      ...managed,
    };
  }

  private open(item: UserTokenItem): UserToken {
    return {
      ...toUserTokenMetadata(item),
      access_token: this.reveal(item, 'access_token'),
      refresh_token: this.reveal(item, 'refresh_token'),
    };
  }

  private reveal(item: UserTokenItem, field: TokenField): string {
    try {
      return this.cipher.decrypt(field === 'access_token' ? item.access_token_enc : item.refresh_token_enc, sealContext(item, field));
    } catch (error) {
      if (!VitalsError.is(error, 'repository.decryptionFailed')) throw error;
      const key: Key = { user_id: item.user_id, provider: item.provider };
      throw decryptionFailedAt(error, ENTITY, key, field);
    }
  }
}
