import { DYNAMODB_CORE_TOKENS, DynamoDBItems, type Key, type Logger } from '@vitals/dynamodb-core';
import { inject, injectable } from 'inversify';
import type { z } from 'zod';
import { REPOSITORY_TOKENS, type RepositorySettings } from '../settings/repository-settings.ts';
import { EntityStore } from './entity-store.ts';
import type { IndexNameOf, StoreEntity } from './store-entity.ts';
import type { StoreAction } from './store-types.ts';
import { transactActions } from './transact-actions.ts';

/**
 * Makes the {@link EntityStore} of an entity: what a repository injects
 * instead of a DynamoDB client, so that no repository names a table or
 * speaks to DynamoDB itself.
 */
@injectable()
export class EntityStores {
  constructor(
    @inject(DynamoDBItems) private readonly items: DynamoDBItems,
    @inject(DYNAMODB_CORE_TOKENS.Logger) private readonly logger: Logger,
    @inject(REPOSITORY_TOKENS.Settings) private readonly settings: RepositorySettings,
  ) {}

  /**
   * The store of `entity`, reading items with its schema — or with `schema`,
   * when a repository reads the table's items as something else (the health
   * log reads index items as the entries they stand for). Logs as `component`.
   */
  for<E extends StoreEntity, T = z.output<E['schema']>>(
    entity: E,
    options: { component: string; schema?: z.ZodType<T> },
  ): EntityStore<T, IndexNameOf<E>> {
    const log = this.logger.child({ component: options.component });
    return new EntityStore<T, IndexNameOf<E>>(this.items, log, this.settings, entity, (options.schema ?? entity.schema) as z.ZodType<T>);
  }

  /**
   * All-or-nothing writes across tables (up to 100 actions, each made by a
   * store's `action`). A failed condition or a concurrent transaction on one
   * of the items is `repository.conflict`, reported on the first action's
   * entity and `key`.
   */
  async transact(actions: readonly StoreAction[], key: Key): Promise<void> {
    const entityName = actions[0]?.entityName ?? 'transaction';
    await transactActions(this.items, actions.map((entry) => entry.action), entityName, key);
  }
}
