import { DEFAULT_TIME_ZONE, UserSettingsInputSchema, userSettingsEntity, type UserSettings } from '@vitals/models';
import { inject, injectable } from 'inversify';
import { RecentMap } from '../base/recent-map.ts';
import { validInput, validKey } from '../base/validate.ts';
import { REPOSITORY_TOKENS, type Clock } from '../settings/repository-settings.ts';
import type { EntityStore } from '../store/entity-store.ts';
import { EntityStores } from '../store/entity-stores.ts';

const ENTITY = userSettingsEntity.name;
/** How long a process reuses settings it read; a save in another process shows within this. */
export const USER_SETTINGS_CACHE_MS = 60_000;
/** Users whose settings one process keeps at most (the least recently used go first). */
const CACHE_MAX_USERS = 10_000;

/** A user's settings as the rest of Vitals sees them: stored, or the defaults. */
export interface EffectiveUserSettings {
  user_id: string;
  time_zone: string;
  /** Absent until the user saves settings. */
  version?: number;
  updated_at?: string;
}

/**
 * Per-user settings (`user_settings`, one item per user): so far only the
 * IANA time zone of the user's local days, `UTC` until set. Saving is a
 * versioned put on the version read, so two concurrent saves never lose one
 * silently (the loser is `repository.conflict`).
 *
 * `get(userId, { cached: true })` reuses what this process read or saved
 * for up to `USER_SETTINGS_CACHE_MS`: every readings write asks for the zone
 * (its daily rollups), and the sync worker writes every few minutes per
 * user. A zone changed in another process is thus seen up to a minute late
 * there, which costs speed, not correctness: each rollup records the
 * settings version its zone came from, and a report — which reads the
 * settings afresh — trusts only rollups of the current one.
 */
@injectable()
export class UserSettingsRepository {
  private readonly store: EntityStore<UserSettings>;
  private readonly cache = new RecentMap<string, { settings: EffectiveUserSettings; readAtMs: number }>(CACHE_MAX_USERS);

  constructor(
    @inject(EntityStores) stores: EntityStores,
    @inject(REPOSITORY_TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.store = stores.for(userSettingsEntity, { component: 'UserSettingsRepository' });
  }

  /**
   * The user's settings, or the defaults (`time_zone: 'UTC'`) when they
   * saved none; strongly consistent, or with `cached` what this process read
   * or saved in the last `USER_SETTINGS_CACHE_MS`.
   */
  async get(userId: string, options: { cached?: boolean } = {}): Promise<EffectiveUserSettings> {
    validKey(ENTITY, () => userSettingsEntity.primary.partition(userId));
    const kept = options.cached === true ? this.cache.get(userId) : undefined;
    if (kept !== undefined && performance.now() - kept.readAtMs < USER_SETTINGS_CACHE_MS) return kept.settings;
    const stored = await this.store.get({ user_id: userId }, { consistentRead: true });
    return this.remember(stored ?? { user_id: userId, time_zone: DEFAULT_TIME_ZONE });
  }

  /**
   * Reads ahead, into what `get(…, { cached: true })` answers from, the
   * settings of those of `userIds` not read in the last
   * `USER_SETTINGS_CACHE_MS`: one strongly consistent BatchGetItem per 100
   * users instead of a GetItem each. The sync worker primes the users of
   * the due jobs it lists, whose readings writes will each ask. A user whose
   * settings this process read or saved meanwhile keeps those; a stored item
   * that fails the schema is left for `get` to meet.
   */
  async prime(userIds: readonly string[]): Promise<void> {
    const startedAtMs = performance.now();
    const wanted = [...new Set(userIds)].filter((userId) => {
      const kept = this.cache.get(userId);
      return kept === undefined || startedAtMs - kept.readAtMs >= USER_SETTINGS_CACHE_MS;
    });
    if (wanted.length === 0) return;
    for (const userId of wanted) validKey(ENTITY, () => userSettingsEntity.primary.partition(userId));
    const raws = await this.store.getManyRaw(
      wanted.map((userId) => ({ user_id: userId })),
      { consistentRead: true },
    );
    const { items, skipped } = this.store.parseItems(raws);
    this.store.reportSkipped(skipped);
    const stored = new Map(items.map((settings) => [settings.user_id, settings]));
    const invalid = new Set(raws.map((raw) => String(raw['user_id'])).filter((userId) => !stored.has(userId)));
    for (const userId of wanted) {
      if (invalid.has(userId) || (this.cache.get(userId)?.readAtMs ?? Number.NEGATIVE_INFINITY) >= startedAtMs) continue;
      this.remember(stored.get(userId) ?? { user_id: userId, time_zone: DEFAULT_TIME_ZONE });
    }
  }

  /** Validates and stores the settings (`{ time_zone }`), version + 1; resolves with them as stored. */
  async save(userId: string, input: unknown): Promise<UserSettings> {
    validKey(ENTITY, () => userSettingsEntity.primary.partition(userId));
    const { time_zone } = validInput(UserSettingsInputSchema, input, ENTITY);
    const stored = await this.store.get({ user_id: userId }, { consistentRead: true });
    const settings: UserSettings = {
      user_id: userId,
      time_zone,
      version: (stored?.version ?? 0) + 1,
      updated_at: this.clock.now().toISOString(),
    };
    await this.store.putVersioned(settings, stored?.version ?? 'new');
    this.remember(settings);
    return settings;
  }

  private remember(settings: EffectiveUserSettings): EffectiveUserSettings {
    this.cache.set(settings.user_id, { settings, readAtMs: performance.now() });
    return settings;
  }
}
