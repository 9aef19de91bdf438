import { DYNAMODB_CORE_TOKENS, VitalsError, type Logger } from '@vitals/dynamodb-core';
import {
  AccessTokenInputSchema,
  AccessTokenItemSchema,
  MAX_ACCESS_TOKENS_PER_USER,
  accessTokenEntity,
  accessTokenPurgeAt,
  isAccessTokenExpired,
  toAccessTokenView,
  type AccessTokenItem,
  type AccessTokenView,
  type ApiScope,
} from '@vitals/models';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { validInput } from '../base/validate.ts';
import { conflict, invalidInput, invalidItem, schemaIssues } from '../errors/repository-errors.ts';
import { REPOSITORY_TOKENS, type Clock, type RepositorySettings } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { EntityStores } from '../store/entity-stores.ts';
import { updateParams } from '../store/update-params.ts';
import { newAccessTokenText, tokenHashOf, type AccessTokenCredential } from './token-hash.ts';
import { timeOrderedUuid } from './token-id.ts';
import { TOKEN_KEYS_KEPT, TokenKeys } from './token-keys.ts';

/** How stale `last_used_at` may get before a request that uses the token writes it again: one write per token per hour at most. */
export const ACCESS_TOKEN_LAST_USED_RESOLUTION_MS = 3_600_000;

/** A token just created: its text, shown this once, and what is shown of it from now on. */
export interface CreatedAccessToken {
  token: string;
  view: AccessTokenView;
}

/** Who a live token speaks for. */
export interface ResolvedAccessToken {
  user_id: string;
  scopes: ApiScope[];
  token_id: string;
  /** `null`: never expires. */
  expires_at: string | null;
}

type Index = 'user_id-token_id-index';

/**
 * How the store reads items: as they are. The store reports an item that
 * fails its schema by table key, which here is the hash, so this repository
 * parses them itself and reports by `token_id` (also in strict mode).
 */
const StoredSchema = z.record(z.string(), z.unknown());
type Stored = z.infer<typeof StoredSchema>;

/**
 * Personal access tokens: created with a random text that is returned once
 * and stored only as `token_hash` (SHA-256 of its SHA-1), listed and revoked
 * by id, and resolved from a request's credential with a strongly consistent
 * GetItem, so a revoked token fails on the very next request. An expired
 * token resolves to nothing from the instant it expires, whether or not TTL
 * has deleted it yet. Nothing this class logs or throws carries a token's
 * text or hash: keys are named by `token_id`.
 */
@injectable()
export class AccessTokenRepository {
  private readonly store: EntityStore<Stored, Index>;
  private readonly log: Logger;
  private readonly tokenKeys = new TokenKeys(TOKEN_KEYS_KEPT);

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(DYNAMODB_CORE_TOKENS.Logger) logger: Logger,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
  ) {
    this.store = stores.for(accessTokenEntity, { component: 'AccessTokenRepository', schema: StoredSchema });
    this.log = logger.child({ component: 'AccessTokenRepository' });
  }

  /**
   * Creates a token for `userId` from `{ name, scopes, expires_at? }`.
   * `repository.invalidInput` for a bad input or an `expires_at` not in the
   * future; `repository.conflict` when the user already holds
   * `MAX_ACCESS_TOKENS_PER_USER` tokens.
   */
  async create(userId: string, input: unknown): Promise<CreatedAccessToken> {
    const valid = validInput(AccessTokenInputSchema, input, accessTokenEntity.name);
    const now = this.clock.now();
    const expiresAt = valid.expires_at ?? null;
    if (expiresAt !== null && isAccessTokenExpired(expiresAt, now)) {
      throw invalidInput(accessTokenEntity.name, [{ path: 'expires_at', message: `must be in the future (the server's time is ${now.toISOString()})` }]);
    }
    const held = await this.stored(userId);
    if (held.length >= MAX_ACCESS_TOKENS_PER_USER) {
      throw conflict(accessTokenEntity.name, { user_id: userId }, {
        reason: `holds ${held.length} access tokens, the most one user may; revoke one first`,
      });
    }
    const token = newAccessTokenText();
    const item: AccessTokenItem = {
      token_hash: tokenHashOf({ token }) as string,
      token_id: timeOrderedUuid(now),
      user_id: userId,
      name: valid.name,
      scopes: valid.scopes,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      ...(expiresAt === null ? {} : { purge_at: accessTokenPurgeAt(expiresAt) }),
    };
    // 256 random bits never collide; the condition only makes sure no write ever replaces another token.
    await this.store.put(item, { conditionExpression: 'attribute_not_exists(#h)', expressionAttributeNames: { '#h': 'token_hash' } });
    return { token, view: toAccessTokenView(item) };
  }

  /**
   * `userId`'s tokens, oldest first (ids are time-ordered UUIDs), expired
   * ones included until TTL purges them; at most `MAX_ACCESS_TOKENS_PER_USER`,
   * so one answer holds them all (a paged listing's cursor would carry the
   * index's table key, the hash). Read from the user index, which trails a
   * write by a moment.
   */
  async list(userId: string): Promise<AccessTokenView[]> {
    return (await this.stored(userId)).map(toAccessTokenView);
  }

  /**
   * Deletes `userId`'s token `tokenId` and resolves with what it was, or
   * undefined when the user has no such token (another user's id included).
   * The token fails from the next request on.
   */
  async revoke(userId: string, tokenId: string): Promise<AccessTokenView | undefined> {
    const query = { index: 'user_id-token_id-index' as const, partition: userId, sort: { eq: tokenId } };
    for await (const page of this.store.queryParsedPages(query)) {
      const found = this.parsed(page.items)[0];
      if (found === undefined) continue;
      const deleted = await this.store
        .delete(
          { token_hash: found.token_hash },
          {
            condition: {
              conditionExpression: '#user = :user AND #id = :id',
              expressionAttributeNames: { '#user': 'user_id', '#id': 'token_id' },
              expressionAttributeValues: { ':user': userId, ':id': tokenId },
            },
          },
        )
        // Revoked by a concurrent request between the query and the delete: it is gone either way.
        .catch((error: unknown) => (VitalsError.is(error, 'repository.conflict') ? undefined : Promise.reject(error)));
      return deleted === undefined ? undefined : toAccessTokenView(this.parsed([deleted])[0] ?? found);
    }
    return undefined;
  }

  /**
   * Who a credential speaks for: undefined when it names no stored token,
   * or one that is revoked or expired. One strongly consistent GetItem; when
   * `last_used_at` is more than {@link ACCESS_TOKEN_LAST_USED_RESOLUTION_MS}
   * old, one conditional UpdateItem records the use.
   */
  async resolve(credential: AccessTokenCredential): Promise<ResolvedAccessToken | undefined> {
    const tokenHash = tokenHashOf(credential);
    if (tokenHash === undefined) return undefined;
    const raw = await this.store.getRaw({ token_hash: tokenHash }, { consistentRead: true });
    if (raw === undefined) return undefined;
    // An invalid item is refused rather than trusted (and reported by id).
    const item = this.parsed([raw])[0];
    if (item === undefined) return undefined;
    return this.live(item);
  }

  /**
   * Who `userId`'s token `tokenId` speaks for while it is live; undefined
   * once it is revoked or expired, or when the user holds no such token.
   * For credentials that name a token by id rather than carry its text (a
   * JWT minted from it): the user index (eventually consistent) finds the
   * token's key, then a strongly consistent GetItem confirms it still
   * exists, so a revoke is seen on the very next request even while the
   * index still lists the token. A token's key never changes, so the
   * process remembers it ({@link TOKEN_KEYS_KEPT} of them, the least
   * recently used forgotten first) and a token it has met is resolved by
   * the GetItem alone. Records the use as {@link resolve} does.
   */
  async resolveById(userId: string, tokenId: string): Promise<ResolvedAccessToken | undefined> {
    const remembered = this.tokenKeys.get(userId, tokenId);
    if (remembered !== undefined) return this.resolveKey(remembered, userId, tokenId);
    const query = { index: 'user_id-token_id-index' as const, partition: userId, sort: { eq: tokenId } };
    for await (const page of this.store.queryParsedPages(query)) {
      const listed = this.parsed(page.items)[0];
      if (listed === undefined) continue;
      const resolved = await this.resolveKey(listed.token_hash, userId, tokenId);
      if (resolved !== undefined) this.tokenKeys.remember(userId, tokenId, listed.token_hash);
      return resolved;
    }
    return undefined;
  }

  /** The live token stored under `tokenHash` if it is `userId`'s `tokenId` (strongly consistent); a gone one is forgotten. */
  private async resolveKey(tokenHash: string, userId: string, tokenId: string): Promise<ResolvedAccessToken | undefined> {
    const raw = await this.store.getRaw({ token_hash: tokenHash }, { consistentRead: true });
    const item = raw === undefined ? undefined : this.parsed([raw])[0];
    if (item === undefined || item.user_id !== userId || item.token_id !== tokenId) {
      this.tokenKeys.forget(userId, tokenId);
      return undefined;
    }
    return this.live(item);
  }

  /** `item` as a resolved token, its use recorded; undefined when it has expired. */
  private async live(item: AccessTokenItem): Promise<ResolvedAccessToken | undefined> {
    const now = this.clock.now();
    if (isAccessTokenExpired(item.expires_at, now)) return undefined;
    await this.recordUse(item, now);
    return { user_id: item.user_id, scopes: item.scopes, token_id: item.token_id, expires_at: item.expires_at };
  }

  /** Every stored token of `userId`, oldest first (index order); invalid items left out and reported by id. */
  private async stored(userId: string): Promise<AccessTokenItem[]> {
    const items: AccessTokenItem[] = [];
    for await (const page of this.store.queryParsedPages({ index: 'user_id-token_id-index', partition: userId })) {
      items.push(...this.parsed(page.items));
    }
    return items;
  }

  /**
   * The items that pass the schema; the others left out with a warn log (in
   * strict mode: `repository.invalidItem`) naming them by `token_id`, never by hash.
   */
  private parsed(raws: readonly Stored[]): AccessTokenItem[] {
    const items: AccessTokenItem[] = [];
    const skipped: { token_id: string; issues: string[] }[] = [];
    for (const raw of raws) {
      const result = AccessTokenItemSchema.safeParse(raw);
      if (result.success) {
        items.push(result.data);
        continue;
      }
      const tokenId = String(raw['token_id']);
      const issues = schemaIssues(result.error.issues);
      if (this.settings.strict) throw invalidItem(accessTokenEntity.name, { token_id: tokenId }, issues);
      skipped.push({ token_id: tokenId, issues });
    }
    if (skipped.length > 0) this.log.warn({ entity: accessTokenEntity.name, count: skipped.length, skipped }, 'invalid stored access tokens skipped');
    return items;
  }

  /** Sets `last_used_at` when it is missing or stale, only while the token still exists (an update never recreates a revoked one). */
  private async recordUse(item: AccessTokenItem, now: Date): Promise<void> {
    const stale = new Date(now.getTime() - ACCESS_TOKEN_LAST_USED_RESOLUTION_MS).toISOString();
    if (item.last_used_at != null && item.last_used_at > stale) return;
    await this.store.tryUpdate(
      { token_hash: item.token_hash },
      updateParams(
        'SET #last_used_at = :now',
        'attribute_exists(#token_hash) AND (attribute_not_exists(#last_used_at) OR #last_used_at = :null OR #last_used_at < :stale)',
        { ':now': now.toISOString(), ':stale': stale, ':null': null },
      ),
    );
  }
}
