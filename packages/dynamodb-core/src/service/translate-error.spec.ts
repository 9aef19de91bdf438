import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { VitalsError } from '../errors/vitals-error.ts';
import { isThrottling, isTransient, translateError } from './translate-error.ts';

const $metadata = {};

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });
}

function serviceError(name: string, httpStatusCode: number): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} happened`,
  });
}

const throttlingErrors: [string, unknown][] = [
  ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata })],
  ['ThrottlingException', new ThrottlingException({ message: 'slow down', $metadata })],
  ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'slow down', $metadata })],
  ['an error the SDK marks as throttling', Object.assign(new Error('slow'), { $retryable: { throttling: true } })],
];

const otherTransientErrors: [string, unknown][] = [
  ['InternalServerError', new InternalServerError({ message: 'oops', $metadata })],
  ['a 503 ServiceUnavailable', serviceError('ServiceUnavailable', 503)],
  ['any 5xx', serviceError('SomethingNew', 502)],
  ['a TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ['ECONNREFUSED', networkError('ECONNREFUSED')],
  ['ECONNRESET', networkError('ECONNRESET')],
  ['ETIMEDOUT', networkError('ETIMEDOUT')],
  ['ENOTFOUND', networkError('ENOTFOUND')],
  ['EAI_AGAIN', networkError('EAI_AGAIN')],
  [
    'ECONNREFUSED from another realm, wrapped by the SDK into text',
    new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8000'),
  ],
];

const permanentErrors: [string, unknown][] = [
  ['a ValidationException', serviceError('ValidationException', 400)],
  ['a ResourceNotFoundException', new ResourceNotFoundException({ message: 'no table', $metadata })],
  ['an AccessDeniedException', serviceError('AccessDeniedException', 400)],
  ['a ConditionalCheckFailedException', new ConditionalCheckFailedException({ message: 'no', $metadata })],
  ['a plain Error', new Error('bug')],
  ['a plain Error that quotes a network code', new Error('value ECONNREFUSED is not allowed')],
  ['a string', 'boom'],
  ['undefined', undefined],
];

describe(isThrottling.name, () => {
  it.each(throttlingErrors)('when it is %s, says yes', (_label, error) => {
    expect(isThrottling(error)).toBe(true);
  });

  it.each([...otherTransientErrors, ...permanentErrors])('when it is %s, says no', (_label, error) => {
    expect(isThrottling(error)).toBe(false);
  });
});

describe(isTransient.name, () => {
  it.each([...throttlingErrors, ...otherTransientErrors])('when it is %s, says it is worth retrying', (_label, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each(permanentErrors)('when it is %s, says it is not worth retrying', (_label, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

describe(translateError.name, () => {
  const context = { operation: 'putItem', table: 'vitals' };

  it('when the error is already a VitalsError, returns it unchanged', () => {
    const original = new VitalsError('dynamodb.noTable', 'no table', { operation: 'putItem' });
    expect(translateError(original, context)).toBe(original);
  });

  it('when a condition failed, returns dynamodb.conditionFailed with the existing item unmarshalled and the key', () => {
    const cause = new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata,
      Item: { pk: { S: 'user#1' }, glucose: { N: '7.8' }, tags: { SS: ['fasting'] } },
    });
    const error = translateError(cause, { ...context, key: { pk: 'user#1' } });
    expect(error.code).toBe('dynamodb.conditionFailed');
    expect(error.details).toEqual({
      operation: 'putItem',
      table: 'vitals',
      key: { pk: 'user#1' },
      existing_item: { pk: 'user#1', glucose: 7.8, tags: new Set(['fasting']) },
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('putItem on table vitals: the condition was not met');
  });

  it('when a condition failed on an item that does not exist, has no existing item', () => {
    const error = translateError(new ConditionalCheckFailedException({ message: 'no', $metadata }), context);
    expect(VitalsError.is(error, 'dynamodb.conditionFailed') && error.details.existing_item).toBeUndefined();
  });

  it('when a transaction was cancelled, lists one reason per action with unmarshalled items', () => {
    const cause = new TransactionCanceledException({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      $metadata,
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'a' }, n: { N: '1' } } },
      ],
    });
    const error = translateError(cause, { operation: 'transactWrite' });
    expect(error.code).toBe('dynamodb.transactionCanceled');
    expect(error.details).toEqual({
      operation: 'transactWrite',
      reasons: [
        { index: 0, code: 'None', message: undefined, item: undefined },
        { index: 1, code: 'ConditionalCheckFailed', message: 'The conditional request failed', item: { pk: 'a', n: 1 } },
      ],
    });
    expect(error.message).toBe('transactWrite: transaction cancelled (item 1: ConditionalCheckFailed)');
  });

  it.each([...throttlingErrors, ...otherTransientErrors])(
    'when the error is %s, returns dynamodb.unavailable keeping the cause',
    (_label, cause) => {
      const error = translateError(cause, context);
      expect(error.code).toBe('dynamodb.unavailable');
      expect(error.cause).toBe(cause);
      expect(error.details).toMatchObject({ operation: 'putItem', table: 'vitals' });
    },
  );

  it('when the SDK wrapped a network error into text, names its code', () => {
    const error = translateError(new Error('AWS SDK error wrapper for Error: connect ECONNRESET 127.0.0.1:8000'), context);
    expect(error.details).toEqual({ operation: 'putItem', table: 'vitals', aws_error: 'ECONNRESET' });
  });

  it('when DynamoDB rejects the request, returns dynamodb.requestFailed naming the AWS error', () => {
    const cause = serviceError('ValidationException', 400);
    const error = translateError(cause, context);
    expect(error.code).toBe('dynamodb.requestFailed');
    expect(error.details).toEqual({ operation: 'putItem', table: 'vitals', aws_error: 'ValidationException' });
    expect(error.message).toBe('putItem on table vitals: ValidationException: ValidationException happened');
    expect(error.cause).toBe(cause);
  });

  it('when something that is not an Error is thrown, still returns a VitalsError', () => {
    const error = translateError('boom', { operation: 'ping' });
    expect(error).toBeInstanceOf(VitalsError);
    expect(error.code).toBe('dynamodb.requestFailed');
    expect(error.message).toBe('ping: Error: boom');
  });
});
