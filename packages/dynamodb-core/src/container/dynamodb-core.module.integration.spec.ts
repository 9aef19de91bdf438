import { Container } from 'inversify';
import { DynamoDBItems } from '../items/dynamodb-items.ts';
import { DynamoDBService } from '../service/dynamodb.service.ts';
import { DynamoDBTables } from '../tables/dynamodb-tables.ts';
import { localConfig, silentLogger, uniqueTableName } from '../test-support/dynamodb-local.ts';
import { dynamoDBCoreModule } from './dynamodb-core.module.ts';
import { DYNAMODB_CORE_TOKENS } from './tokens.ts';

describe(dynamoDBCoreModule.name, () => {
  it('lets a container resolve one working DynamoDBService, its items and tables, with the bound logger and config', async () => {
    const container = new Container();
    await container.load(dynamoDBCoreModule({ config: localConfig(), logger: silentLogger }));

    const service = container.get(DynamoDBService);
    expect(container.get(DynamoDBService)).toBe(service);
    // One pair of clients: the items and tables the container gives are the service's own.
    const items = container.get(DynamoDBItems);
    const tables = container.get(DynamoDBTables);
    expect(items).toBe(service.items);
    expect(tables).toBe(service.tables);
    expect(container.get(DYNAMODB_CORE_TOKENS.Logger)).toBe(silentLogger);
    expect(container.get(DYNAMODB_CORE_TOKENS.DynamoDBConfig)).toMatchObject({
      region_name: 'us-east-1',
      read_capacity_units: 5,
    });

    const table = uniqueTableName('container');
    await tables.createTable({
      tableName: table,
      keySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: 'user_id', AttributeType: 'S' }],
    });
    await items.putItem({ tableName: table, item: { user_id: 'u1', name: 'Alice' } });
    expect(await items.getItem({ tableName: table, key: { user_id: 'u1' } })).toEqual({ user_id: 'u1', name: 'Alice' });
    await tables.deleteTable({ tableName: table });

    const close = jest.spyOn(service, 'close');
    await container.unbindAll();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('rejects an invalid config when the module is created, naming every problem', () => {
    expect(() => dynamoDBCoreModule({ config: { region_name: 'moon', read_capacity_units: 0 } })).toThrow(
      /region_name: must be an AWS region.*read_capacity_units: must be at least 1/,
    );
  });
});
