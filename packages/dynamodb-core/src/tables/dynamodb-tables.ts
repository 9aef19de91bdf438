import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import type { Logger } from '../logger/logger.ts';
import { logged } from '../service/operation-log.ts';
import type {
  CreateTableParams,
  DeleteTableParams,
  EnableTimeToLiveParams,
  SetPointInTimeRecoveryParams,
  TableParams,
  TableSettings,
  UpdateTableParams,
} from './types.ts';
import { waitForTable } from './wait-for-table.ts';

const DEFAULT_TABLE_WAIT_SECONDS = 300;

/**
 * Table administration (the low-level client's side of the SDK): create,
 * change, describe and delete tables, TTL and point-in-time recovery. Each
 * operation takes one input object naming its table; creating, changing and
 * deleting resolve once DynamoDB has finished. Every failure is a
 * `VitalsError`; every operation is logged.
 *
 * Built by `DynamoDBService` (its `tables`), which owns the clients: get it
 * from there or from the container, never construct one yourself.
 */
export class DynamoDBTables {
  /** Called by `DynamoDBService`; use its `tables`, or `container.get(DynamoDBTables)`. */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly config: DynamoDBConfig,
    private readonly log: Logger,
  ) {}

  tableExists({ tableName }: TableParams): Promise<boolean> {
    return logged(
      this.log,
      { operation: 'tableExists', table: tableName },
      async () => {
        try {
          await this.client.send(new DescribeTableCommand({ TableName: tableName }));
          return true;
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
          throw error;
        }
      },
      (exists) => ({ exists }),
    );
  }

  /** Every table name, following ListTables pages. */
  listTables(): Promise<string[]> {
    return logged(
      this.log,
      { operation: 'listTables' },
      async () => {
        const names: string[] = [];
        let start: string | undefined;
        do {
          const output = await this.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
          names.push(...(output.TableNames ?? []));
          start = output.LastEvaluatedTableName;
        } while (start !== undefined);
        return names;
      },
      (names) => ({ count: names.length }),
    );
  }

  /** Creates a table (and its GSIs) and resolves once everything is ACTIVE. */
  createTable(params: CreateTableParams): Promise<TableDescription> {
    const billingMode = params.billingMode ?? 'PAY_PER_REQUEST';
    const throughput =
      billingMode === 'PROVISIONED'
        ? { ReadCapacityUnits: this.config.read_capacity_units, WriteCapacityUnits: this.config.write_capacity_units }
        : undefined;
    return logged(
      this.log,
      { operation: 'createTable', table: params.tableName, billing_mode: billingMode },
      async () => {
        await this.client.send(
          new CreateTableCommand({
            TableName: params.tableName,
            KeySchema: params.keySchema,
            AttributeDefinitions: params.attributeDefinitions,
            BillingMode: billingMode,
            ProvisionedThroughput: throughput,
            GlobalSecondaryIndexes: params.globalSecondaryIndexes?.map((index) => ({
              ...index,
              ProvisionedThroughput: throughput,
            })),
          }),
        );
        const table = await waitForTable(
          this.client,
          params.tableName,
          'active',
          params.maxWaitSeconds ?? DEFAULT_TABLE_WAIT_SECONDS,
        );
        return table as TableDescription;
      },
      (table) => ({ status: table.TableStatus, indexes: table.GlobalSecondaryIndexes?.length ?? 0 }),
    );
  }

  /** Deletes a table and resolves once it is gone. */
  deleteTable({ tableName, maxWaitSeconds = DEFAULT_TABLE_WAIT_SECONDS }: DeleteTableParams): Promise<void> {
    return logged(this.log, { operation: 'deleteTable', table: tableName }, async () => {
      await this.client.send(new DeleteTableCommand({ TableName: tableName }));
      await waitForTable(this.client, tableName, 'gone', maxWaitSeconds);
    });
  }

  /**
   * Resolves once the table and every one of its indexes is ACTIVE: an index
   * DynamoDB is still creating (backfilling) included. For an index an
   * earlier `updateTable` stopped waiting for.
   */
  waitUntilActive({ tableName, maxWaitSeconds = DEFAULT_TABLE_WAIT_SECONDS }: DeleteTableParams): Promise<TableDescription> {
    return logged(this.log, { operation: 'waitUntilActive', table: tableName }, async () =>
      (await waitForTable(this.client, tableName, 'active', maxWaitSeconds)) as TableDescription,
    );
  }

  /** The table's description, or `undefined` when it does not exist. */
  describeTable({ tableName }: TableParams): Promise<TableDescription | undefined> {
    return logged(this.log, { operation: 'describeTable', table: tableName }, async () => {
      try {
        return (await this.client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    });
  }

  /**
   * TTL and point-in-time recovery of a table. Each is `'unsupported'` when
   * the endpoint does not implement its API (DynamoDB Local has no PITR).
   */
  describeTableSettings({ tableName }: TableParams): Promise<TableSettings> {
    return logged(this.log, { operation: 'describeTableSettings', table: tableName }, async () => {
      const ttl = await this.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
      let pitr: TableSettings['point_in_time_recovery'];
      try {
        const backups = await this.client.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
        pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
      } catch (error) {
        if ((error as { name?: string }).name !== 'UnknownOperationException') throw error;
        pitr = 'unsupported';
      }
      return {
        ttl_attribute: status === 'ENABLED' || status === 'ENABLING' ? ttl.TimeToLiveDescription?.AttributeName : undefined,
        point_in_time_recovery: pitr,
      };
    });
  }

  /** Turns TTL on for `attributeName` (epoch seconds). */
  enableTimeToLive({ tableName, attributeName }: EnableTimeToLiveParams): Promise<void> {
    return logged(this.log, { operation: 'enableTimeToLive', table: tableName }, async () => {
      await this.client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
        }),
      );
    });
  }

  /** Turns point-in-time recovery on or off. Endpoints without the API fail with `dynamodb.requestFailed` (`UnknownOperationException`). */
  setPointInTimeRecovery({ tableName, enabled }: SetPointInTimeRecoveryParams): Promise<void> {
    return logged(this.log, { operation: 'setPointInTimeRecovery', table: tableName }, async () => {
      await this.client.send(
        new UpdateContinuousBackupsCommand({
          TableName: tableName,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled },
        }),
      );
    });
  }

  /**
   * Changes a table: adds a GSI, switches deletion protection or billing
   * mode (one change per call, as DynamoDB requires), and resolves once the
   * table and all its indexes are ACTIVE again.
   */
  updateTable(params: UpdateTableParams): Promise<TableDescription> {
    const provisioned = {
      ReadCapacityUnits: this.config.read_capacity_units,
      WriteCapacityUnits: this.config.write_capacity_units,
    };
    return logged(this.log, { operation: 'updateTable', table: params.tableName }, async () => {
      await this.client.send(
        new UpdateTableCommand({
          TableName: params.tableName,
          DeletionProtectionEnabled: params.deletionProtection,
          BillingMode: params.billingMode,
          ProvisionedThroughput: params.billingMode === 'PROVISIONED' ? provisioned : undefined,
          AttributeDefinitions: params.createIndex?.attributeDefinitions,
          GlobalSecondaryIndexUpdates: params.createIndex && [
            {
              Create: {
                ...params.createIndex.index,
                ProvisionedThroughput: params.createIndex.provisioned ? provisioned : undefined,
              },
            },
          ],
        }),
      );
      return (await waitForTable(
        this.client,
        params.tableName,
        'active',
        params.maxWaitSeconds ?? DEFAULT_TABLE_WAIT_SECONDS,
      )) as TableDescription;
    });
  }
}
