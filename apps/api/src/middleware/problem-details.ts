import { VitalsError, type Logger, type VitalsErrorCode } from '@vitals/dynamodb-core';
import type { ErrorRequestHandler, Response } from 'express';
import { pointerOfPath } from './pointer.ts';

/** The kinds of failure a client can see; each is one problem type, status and title. */
export type ProblemKind =
  | 'validation'
  | 'badRequest'
  | 'malformedBody'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'preconditionFailed'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'rateLimited'
  | 'unavailable'
  | 'tablesMissing'
  | 'requestTimeout'
  | 'headersTooLarge'
  | 'notImplemented'
  | 'authorizationState'
  | 'authorizationDenied'
  | 'providerNotConfigured'
  | 'providerUnavailable'
  | 'badGateway'
  | 'internal';

/** One problem of a validation failure: where (a JSON Pointer into the request) and what. */
export interface ValidationProblem {
  pointer: string;
  message: string;
}

/** The RFC 9457 body every failure is answered with. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  request_id?: string;
  errors?: ValidationProblem[];
}

const PROBLEM_TYPES: Record<ProblemKind, { status: number; title: string; detail: string }> = {
  validation: { status: 400, title: 'Invalid request', detail: 'The request is not valid; see errors' },
  badRequest: { status: 400, title: 'Bad request', detail: 'The request is not valid HTTP/1.1' },
  malformedBody: { status: 400, title: 'Malformed body', detail: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'Unauthorized', detail: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'Forbidden', detail: 'This token may not do this' },
  notFound: { status: 404, title: 'Not found', detail: 'Nothing is here' },
  conflict: {
    status: 409,
    title: 'Conflict',
    detail: 'The resource changed since it was read, or is in a state that does not allow this; read it again',
  },
  preconditionFailed: {
    status: 412,
    title: 'Precondition failed',
    detail: 'The stored version is not the one If-Match / If-None-Match named; the ETag header holds the current one',
  },
  payloadTooLarge: { status: 413, title: 'Payload too large', detail: 'The body is larger than this API accepts' },
  unsupportedMediaType: {
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the body as application/json in UTF-8',
  },
  rateLimited: { status: 429, title: 'Too many requests', detail: 'Slow down and retry after the time given' },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    detail: 'The database is unavailable; retry shortly',
  },
  tablesMissing: {
    status: 503,
    title: 'Service unavailable',
    detail: 'A table this API needs does not exist; create the tables with `npm run migrate -- tables apply`',
  },
  requestTimeout: { status: 408, title: 'Request timeout', detail: 'The request did not arrive in time; send it again' },
  headersTooLarge: {
    status: 431,
    title: 'Request header fields too large',
    detail: 'The request headers are larger than this API accepts',
  },
  notImplemented: { status: 501, title: 'Not implemented', detail: 'This API does not implement that method' },
  authorizationState: {
    status: 400,
    title: 'Invalid authorization state',
    detail: 'The authorization state is not one this API issued, has expired or was used; start connecting again',
  },
  authorizationDenied: { status: 400, title: 'Authorization not granted', detail: 'The provider did not grant access; nothing was connected' },
  providerNotConfigured: { status: 503, title: 'Provider not configured', detail: 'This deployment is not configured for the provider' },
  providerUnavailable: { status: 503, title: 'Provider unavailable', detail: 'The provider did not answer; try again shortly' },
  badGateway: { status: 502, title: 'Bad gateway', detail: 'The provider answered something unexpected; try again later' },
  internal: { status: 500, title: 'Internal error', detail: 'Something went wrong on our side' },
};

/**
 * The one mapping from the error family to what clients see. A `Record`
 * over every code, so a new code does not compile until it is mapped here.
 */
const KIND_OF_CODE: Record<VitalsErrorCode, ProblemKind> = {
  'config.invalid': 'internal',
  'dynamodb.noTable': 'internal',
  'dynamodb.conditionFailed': 'conflict',
  'dynamodb.transactionCanceled': 'conflict',
  'dynamodb.batchIncomplete': 'unavailable',
  'dynamodb.unavailable': 'unavailable',
  'dynamodb.requestFailed': 'internal',
  'repository.invalidCursor': 'validation',
  'repository.conflict': 'conflict',
  'repository.notFound': 'notFound',
  'repository.invalidItem': 'internal',
  'repository.invalidInput': 'validation',
  'repository.invalidTransition': 'conflict',
  'repository.decryptionFailed': 'internal',
};

/**
 * DynamoDB errors that say more than their code: a missing table is not a
 * bug in the request but a deployment without its tables, fixed by an operator.
 */
const KIND_OF_AWS_ERROR: ReadonlyMap<string, ProblemKind> = new Map([['ResourceNotFoundException', 'tablesMissing']]);

/** DynamoDB's own error name behind a failure, also when a batch wraps the failed request. */
function awsErrorOf(error: VitalsError): string | undefined {
  if (VitalsError.is(error, 'dynamodb.requestFailed')) return error.details.aws_error;
  if (VitalsError.is(error, 'dynamodb.batchIncomplete') && error.cause instanceof VitalsError) return awsErrorOf(error.cause);
  return undefined;
}

/** Body-parser failures, by the `type` the parser sets on its errors. */
const KIND_OF_PARSER_ERROR: Record<string, ProblemKind> = {
  'entity.too.large': 'payloadTooLarge',
  'entity.parse.failed': 'malformedBody',
  'encoding.unsupported': 'unsupportedMediaType',
  'charset.unsupported': 'unsupportedMediaType',
  'entity.verify.failed': 'malformedBody',
  'request.aborted': 'malformedBody',
  'request.size.invalid': 'malformedBody',
  'stream.encoding.set': 'internal',
};

/** A failure the API itself decides (auth, not found, validation): its detail is ours and safe to show. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';

  constructor(
    readonly kind: ProblemKind,
    readonly detail?: string,
    readonly errors?: ValidationProblem[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? PROBLEM_TYPES[kind].title);
  }
}

interface Classified {
  kind: ProblemKind;
  detail?: string;
  errors?: ValidationProblem[];
  headers?: Readonly<Record<string, string>>;
}

/**
 * Client errors other middleware raises with a status but no parser `type`:
 * the router's percent-decoding of a path parameter fails with a `URIError`
 * (status 400), and a body whose Content-Encoding does not decode reaches us
 * as an http-errors 400 wrapping the zlib error. Neither is a server fault.
 */
function classifyUntypedClientError(error: unknown): Classified | undefined {
  const { status, expose } = (error ?? {}) as { status?: unknown; expose?: unknown };
  if (status !== 400) return undefined;
  if (error instanceof URIError) {
    return { kind: 'validation', errors: [{ pointer: '/path', message: 'is not percent-encoded UTF-8' }] };
  }
  if (expose === true) {
    return { kind: 'malformedBody', detail: 'The body could not be read: it does not decode as its Content-Encoding says' };
  }
  return undefined;
}

function classify(error: unknown): Classified {
  if (error instanceof ApiProblem) {
    return { kind: error.kind, detail: error.detail, errors: error.errors, headers: error.headers };
  }
  if (VitalsError.is(error)) {
    const kind = KIND_OF_CODE[error.code];
    if (VitalsError.is(error, 'repository.invalidInput')) {
      return {
        kind,
        errors: error.details.issues.map((issue) => ({ pointer: pointerOfPath('body', issue.path), message: issue.message })),
      };
    }
    if (VitalsError.is(error, 'repository.invalidCursor')) {
      return {
        kind,
        errors: [{ pointer: '/query/cursor', message: `is not a cursor of this query (${error.details.reason})` }],
      };
    }
    const awsError = awsErrorOf(error);
    return { kind: (awsError === undefined ? undefined : KIND_OF_AWS_ERROR.get(awsError)) ?? kind };
  }
  const parserType = (error as { type?: unknown } | undefined)?.type;
  if (typeof parserType === 'string' && parserType in KIND_OF_PARSER_ERROR) {
    return { kind: KIND_OF_PARSER_ERROR[parserType] as ProblemKind };
  }
  return classifyUntypedClientError(error) ?? { kind: 'internal' };
}

/** The problem+json body of a kind, with the API's own detail when it has one. */
export function problemBody(kind: ProblemKind, detail?: string, errors?: ValidationProblem[]): ProblemBody {
  const type = PROBLEM_TYPES[kind];
  return {
    type: `urn:vitals:problem:${kind}`,
    title: type.title,
    status: type.status,
    detail: detail ?? type.detail,
    ...(errors === undefined ? {} : { errors }),
  };
}

/**
 * Writes `body` as `application/problem+json`. Not through `res.send`: its
 * weak ETag of the body (which differs per request id) would pose as the
 * resource's version, and a 412 must carry the resource's current ETag or none.
 */
export function sendProblem(res: Response, body: ProblemBody, headers: Readonly<Record<string, string>> = {}): void {
  const requestId = res.getHeader('x-request-id');
  const withId = typeof requestId === 'string' ? { ...body, request_id: requestId } : body;
  res.status(body.status).set(headers).set('Content-Type', 'application/problem+json; charset=utf-8').end(JSON.stringify(withId));
}

/**
 * The app's last middleware: every error becomes problem+json through the
 * tables above. Internal messages and stacks never reach the client; 5xx are
 * logged with their code (never their details, which may hold items).
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  const log = logger.child({ component: 'problems' });
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { kind, detail, errors, headers } = classify(error);
    const body = problemBody(kind, detail, errors);
    if (body.status >= 500) {
      log.error(
        {
          request_id: res.getHeader('x-request-id'),
          error_name: error instanceof Error ? error.name : typeof error,
          error_code: error instanceof VitalsError ? error.code : undefined,
          aws_error: VitalsError.is(error, 'dynamodb.unavailable') || VitalsError.is(error, 'dynamodb.requestFailed')
            ? error.details.aws_error
            : undefined,
        },
        'request failed',
      );
    }
    sendProblem(res, body, headers);
  };
}
