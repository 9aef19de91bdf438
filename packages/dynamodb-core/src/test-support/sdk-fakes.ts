/*
 * Fakes and fixtures shared by the unit tests of DynamoDBService, DynamoDBItems
 * and DynamoDBTables: both SDK clients mocked (aws-sdk-client-mock), a logger
 * that records every call, DynamoDB's errors, and fake pages and batches.
 * Jest loads this module once per test file, so each file has mocks of its own.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  type BatchGetCommandInput,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBConfig } from '../config/dynamodb-config.schema.ts';
import { VitalsError, type VitalsErrorCode } from '../errors/vitals-error.ts';
import type { DynamoDBItems } from '../items/dynamodb-items.ts';
import type { Item, Key } from '../items/types.ts';
import type { Logger } from '../logger/logger.ts';
import { DynamoDBService } from '../service/dynamodb.service.ts';

export const TABLE = 'vitals-readings';
export const DEFAULT_TABLE = 'vitals-default';
export const SECRET = 'test-secret-never-logged';

export const config: DynamoDBConfig = {
  region_name: 'us-east-1',
  // Nothing listens there: a request the mocks do not catch fails instead of reaching a real DynamoDB.
  endpoint_url: 'http://127.0.0.1:1',
  aws_access_key_id: 'test-key',
  aws_secret_access_key: SECRET,
  default_table_name: DEFAULT_TABLE,
  read_capacity_units: 7,
  write_capacity_units: 3,
};
export const configWithoutDefaultTable: DynamoDBConfig = { ...config, default_table_name: undefined };

export const clientMock = mockClient(DynamoDBClient);
export const documentMock = mockClient(DynamoDBDocumentClient);

// ── fakes and fixtures ──────────────────────────────────────────────────

export type Level = 'debug' | 'info' | 'warn' | 'error';
export interface LogRecord {
  level: Level;
  fields: Record<string, unknown>;
  message?: string;
}

/** A pino-compatible logger that remembers every call; `child` returns itself. */
export function recordingLogger(): { logger: Logger; records: LogRecord[]; at: (level: Level) => LogRecord[] } {
  const records: LogRecord[] = [];
  const method =
    (level: Level) =>
    (fields: object, message?: string): void => {
      records.push({ level, fields: { ...fields } as Record<string, unknown>, message });
    };
  const logger: Logger = {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: () => logger,
  };
  return { logger, records, at: (level) => records.filter((record) => record.level === level) };
}

export const $metadata = {};
export const conditionFailed = (item?: Record<string, AttributeValue>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata, Item: item });
export const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput was exceeded', $metadata });
export const validationError = () =>
  new DynamoDBServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'One or more parameter values were invalid',
  });
export const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
export const timedOut = () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
export const notFound = () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata });

/** `count` readings of one user, sort keys in order. */
export function readings(count: number, from = 0): Item[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = from + offset;
    return { pk: 'user#1', sk: `reading#${String(index).padStart(4, '0')}`, glucose_mmol_l: 5 + index / 10 };
  });
}

export const keyOf = (item: Item): Key => ({ pk: item.pk, sk: item.sk });
export const bySortKey = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.sk).localeCompare(String(b.sk));
export const sorted = <T extends Record<string, unknown>>(values: readonly T[]): T[] => [...values].sort(bySortKey);

/** The error `run` throws or rejects with (either way); fails the test when it succeeds or throws something else. */
export async function failureOf(run: () => Promise<unknown>): Promise<VitalsError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof VitalsError) return error;
    throw error;
  }
  throw new Error('expected the operation to fail');
}

/** Details of a VitalsError known to carry `code`; fails the test otherwise. */
export function detailsOf<C extends VitalsErrorCode>(error: VitalsError, code: C): VitalsError<C>['details'] {
  expect(error.code).toBe(code);
  return (error as VitalsError<C>).details;
}

/**
 * A fake DynamoDB page source over `rows` for Query and Scan: honours `Limit`
 * and `ExclusiveStartKey`, and never returns more than `pageCap` items (as the
 * 1 MB page limit would).
 */
export function pagesOver(rows: Item[], pageCap: number) {
  return (input: { Limit?: number; ExclusiveStartKey?: Record<string, unknown> }) => {
    const start = input.ExclusiveStartKey ? rows.findIndex((row) => row.sk === input.ExclusiveStartKey?.sk) + 1 : 0;
    const items = rows.slice(start, start + Math.min(pageCap, input.Limit ?? pageCap));
    const end = start + items.length;
    return { Items: items, LastEvaluatedKey: end < rows.length ? keyOf(rows[end - 1]) : undefined };
  };
}

/**
 * A fake BatchWriteItem: `leaveUnprocessed` picks, per call, which requested
 * items DynamoDB hands back (or throws to fail the request). Returns the list
 * of items it accepted.
 */
export function fakeBatchWrite(leaveUnprocessed: (requested: Item[], call: number) => Item[] = () => []): Item[] {
  const accepted: Item[] = [];
  let calls = 0;
  documentMock.on(BatchWriteCommand).callsFake(async (input: BatchWriteCommandInput) => {
    const requested = (input.RequestItems?.[TABLE] ?? []).map((request) => request.PutRequest?.Item as Item);
    const unprocessed = leaveUnprocessed(requested, ++calls);
    accepted.push(...requested.filter((item) => !unprocessed.includes(item)));
    return {
      UnprocessedItems: unprocessed.length > 0 ? { [TABLE]: unprocessed.map((item) => ({ PutRequest: { Item: item } })) } : {},
    };
  });
  return accepted;
}

/** The items of each BatchWrite request, in order. */
export function batchWriteRequests(table = TABLE): Item[][] {
  return documentMock
    .commandCalls(BatchWriteCommand)
    .map((call) => (call.args[0].input.RequestItems?.[table] ?? []).map((request) => request.PutRequest?.Item as Item));
}

/**
 * A fake BatchGetItem over `stored`: `leaveUnprocessed` picks, per call, which
 * requested keys DynamoDB hands back unread.
 */
export function fakeBatchGet(stored: Item[], leaveUnprocessed: (requested: Key[], call: number) => Key[] = () => []): void {
  let calls = 0;
  documentMock.on(BatchGetCommand).callsFake(async (input: BatchGetCommandInput) => {
    const requested = (input.RequestItems?.[TABLE]?.Keys ?? []) as Key[];
    const unprocessed = leaveUnprocessed(requested, ++calls);
    const read = requested.filter((key) => !unprocessed.includes(key));
    return {
      Responses: { [TABLE]: stored.filter((item) => read.some((key) => key.sk === item.sk)) },
      UnprocessedKeys: unprocessed.length > 0 ? { [TABLE]: { Keys: unprocessed } } : {},
    };
  });
}

export function batchGetRequests(): Key[][] {
  return documentMock.commandCalls(BatchGetCommand).map((call) => (call.args[0].input.RequestItems?.[TABLE]?.Keys ?? []) as Key[]);
}

export const fastRetry = { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 };

/**
 * What each test of a DynamoDBItems spec works on, made fresh before it (the
 * SDK mocks reset, a recording logger, a service on the fake clients) and
 * closed after it: `t.db` is the service's `items`.
 */
export function itemsUnderTest(): { log: ReturnType<typeof recordingLogger>; service: DynamoDBService; db: DynamoDBItems } {
  const t = {} as { log: ReturnType<typeof recordingLogger>; service: DynamoDBService; db: DynamoDBItems };
  beforeEach(() => {
    clientMock.reset();
    documentMock.reset();
    t.log = recordingLogger();
    t.service = new DynamoDBService(t.log.logger, config);
    t.db = t.service.items;
  });
  afterEach(() => {
    jest.useRealTimers();
    t.service.close();
  });
  return t;
}
