import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../logger/logger.ts';
import { loggableFailure, translateError } from '../service/translate-error.ts';
import type { Item, Key, Page, QueryParams, ScanParams } from './types.ts';

/**
 * One paginator for query and scan: follows LastEvaluatedKey, honours `limit`,
 * logs once per stream (`… done` at DEBUG, as every item operation). The
 * table is resolved when iteration starts, so a missing table name rejects
 * the first `next()` rather than throwing here.
 */
export async function* paginate(
  document: DynamoDBDocumentClient,
  log: Logger,
  kind: 'query' | 'scan',
  params: QueryParams | ScanParams,
  resolveTable: (tableName: string | undefined) => string,
): AsyncGenerator<Page> {
  const table = resolveTable(params.tableName);
  const fields = { operation: kind, table, index: params.indexName };
  const wanted = params.limit !== undefined && params.limit > 0 ? params.limit : Number.POSITIVE_INFINITY;
  log.debug(fields, `${kind} started`);
  const started = performance.now();
  let count = 0;
  let pageCount = 0;
  let startKey = params.exclusiveStartKey;
  try {
    do {
      const remaining = wanted - count;
      const limit = Number.isFinite(remaining) ? Math.min(params.pageSize ?? remaining, remaining) : params.pageSize;
      const common = {
        TableName: table,
        IndexName: params.indexName,
        FilterExpression: params.filterExpression,
        ProjectionExpression: params.projectionExpression,
        ExpressionAttributeNames: params.expressionAttributeNames,
        ExpressionAttributeValues: params.expressionAttributeValues,
        ConsistentRead: params.consistentRead,
        Limit: limit,
        ExclusiveStartKey: startKey,
      };
      const output =
        kind === 'query'
          ? await document.send(
              new QueryCommand({
                ...common,
                KeyConditionExpression: (params as QueryParams).keyConditionExpression,
                ScanIndexForward: (params as QueryParams).scanIndexForward,
              }),
            )
          : await document.send(
              new ScanCommand({
                ...common,
                Segment: (params as ScanParams).segment,
                TotalSegments: (params as ScanParams).totalSegments,
              }),
            );
      const items = (output.Items ?? []) as Item[];
      startKey = output.LastEvaluatedKey as Key | undefined;
      count += items.length;
      pageCount++;
      yield { items, lastEvaluatedKey: startKey };
    } while (startKey !== undefined && count < wanted);
    log.debug({ ...fields, count, pages: pageCount, duration_ms: Math.round(performance.now() - started) }, `${kind} done`);
  } catch (error) {
    const failure = translateError(error, fields);
    log.error({ ...fields, ...loggableFailure(failure), pages: pageCount }, `${kind} failed`);
    throw failure;
  }
}

/** Every item of a stream of pages, in order. */
export async function collect(pages: AsyncIterable<Page>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) {
    for (const item of page.items) items.push(item);
  }
  return items;
}
