import { ContainerModule } from 'inversify';
import { repositoryClasses } from '../repositories.ts';
import { REPOSITORY_TOKENS, systemClock, type Clock, type RepositorySettings } from '../settings/repository-settings.ts';
import { USER_TOKEN_KEYS, parseTokenKeyRing, type TokenKeyRing } from '../user-token/token-cipher.ts';
import { EntityStores } from '../store/entity-stores.ts';

export interface RepositoriesModuleOptions {
  settings: RepositorySettings;
  /** Keys that encrypt stored OAuth tokens: the current one, and older ones still readable. */
  tokenKeys: TokenKeyRing;
  /** Default: the system clock. */
  clock?: Clock;
}

/**
 * Binds every repository and the health-log service as singletons, with the shared settings and clock.
 * Load it after `dynamoDBCoreModule`, which provides `DynamoDBItems` (what the stores use) and the Logger.
 */
export function repositoriesModule(options: RepositoriesModuleOptions): ContainerModule {
  if (options.settings.cursor_secret.length < 16) {
    throw new RangeError('repositories: settings.cursor_secret must be at least 16 characters');
  }
  const tokenKeys = parseTokenKeyRing(options.tokenKeys);
  return new ContainerModule(({ bind }) => {
    bind(REPOSITORY_TOKENS.Settings).toConstantValue(options.settings);
    bind(REPOSITORY_TOKENS.Clock).toConstantValue(options.clock ?? systemClock);
    bind(USER_TOKEN_KEYS).toConstantValue(tokenKeys);
    bind(EntityStores).toSelf().inSingletonScope();
    for (const type of repositoryClasses) bind<object>(type).toSelf().inSingletonScope();
  });
}
