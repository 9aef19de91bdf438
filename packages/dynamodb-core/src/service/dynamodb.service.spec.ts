import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import { VitalsError } from '../errors/vitals-error.ts';
import { DynamoDBItems } from '../items/dynamodb-items.ts';
import type { Logger } from '../logger/logger.ts';
import { DynamoDBTables } from '../tables/dynamodb-tables.ts';
import {
  SECRET,
  TABLE,
  clientMock,
  config,
  connectionRefused,
  documentMock,
  failureOf,
  recordingLogger,
} from '../test-support/sdk-fakes.ts';
import { DynamoDBService } from './dynamodb.service.ts';

describe(DynamoDBService.name, () => {
  let log: ReturnType<typeof recordingLogger>;
  let service: DynamoDBService;

  beforeEach(() => {
    clientMock.reset();
    documentMock.reset();
    log = recordingLogger();
    service = new DynamoDBService(log.logger, config);
  });

  afterEach(() => {
    jest.useRealTimers();
    service.close();
  });

  describe('constructor', () => {
    it('when no logger is given, throws a TypeError', () => {
      expect(() => new DynamoDBService(undefined as unknown as Logger, config)).toThrow(TypeError);
    });

    it('when the config is invalid, throws config.invalid naming every bad field', () => {
      let thrown: unknown;
      try {
        new DynamoDBService(log.logger, { ...config, region_name: 'moon', write_capacity_units: 0 });
      } catch (error) {
        thrown = error;
      }
      expect(VitalsError.is(thrown, 'config.invalid')).toBe(true);
      const paths = (thrown as VitalsError<'config.invalid'>).details.issues.map((issue) => issue.path);
      expect(paths.sort()).toEqual(['region_name', 'write_capacity_units']);
    });

    it('when the config leaves capacity units out, applies the defaults', () => {
      const minimal = new DynamoDBService(log.logger, { region_name: 'us-east-1' } as DynamoDBConfig);
      try {
        expect(minimal.config).toMatchObject({ read_capacity_units: 5, write_capacity_units: 5 });
      } finally {
        minimal.close();
      }
    });

    it('builds its items and tables once, each the same object for the service’s lifetime', () => {
      expect(service.items).toBeInstanceOf(DynamoDBItems);
      expect(service.tables).toBeInstanceOf(DynamoDBTables);
      expect(service.items).toBe(service.items);
      expect(service.tables).toBe(service.tables);
    });

    it('logs the region and endpoint it connects to, never the credentials', () => {
      expect(log.at('info')).toContainEqual(
        expect.objectContaining({ fields: { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' } }),
      );
      expect(JSON.stringify(log.records)).not.toContain(SECRET);
    });
  });

  describe('.ping', () => {
    it('when DynamoDB answers, sends one ListTables of Limit 1 and resolves with its latency', async () => {
      clientMock.on(ListTablesCommand).resolves({ TableNames: [TABLE] });
      const result = await service.ping();
      expect(result.latency_ms).toBeGreaterThanOrEqual(0);
      expect(clientMock.commandCalls(ListTablesCommand).map((call) => call.args[0].input)).toEqual([{ Limit: 1 }]);
    });

    it('when the connection is refused, rejects with dynamodb.unavailable', async () => {
      clientMock.on(ListTablesCommand).rejects(connectionRefused());
      const error = await failureOf(() => service.ping());
      expect(error.code).toBe('dynamodb.unavailable');
      expect(error.message).toContain('ECONNREFUSED');
    });
  });

  describe('.close', () => {
    it('releases both clients', () => {
      const closing = new DynamoDBService(log.logger, config);
      const destroyed = jest.spyOn(DynamoDBClient.prototype, 'destroy');
      const documentDestroyed = jest.spyOn(DynamoDBDocumentClient.prototype, 'destroy');
      try {
        closing.close();
        expect(destroyed).toHaveBeenCalledTimes(1);
        expect(documentDestroyed).toHaveBeenCalledTimes(1);
      } finally {
        destroyed.mockRestore();
        documentDestroyed.mockRestore();
      }
    });
  });
});
