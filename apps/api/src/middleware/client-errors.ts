import type { Logger } from '@vitals/dynamodb-core';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { problemBody, type ProblemBody, type ProblemKind } from './problem-details.ts';

/** Node's HTTP parser and server errors, as the problem a client is told. */
const PROBLEM_OF_CODE: Readonly<Partial<Record<string, { kind: ProblemKind; detail: string }>>> = {
  HPE_HEADER_OVERFLOW: { kind: 'headersTooLarge', detail: 'The request headers are larger than this API accepts' },
  HPE_INVALID_CONTENT_LENGTH: { kind: 'badRequest', detail: 'Content-Length is not one valid length' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { kind: 'badRequest', detail: 'Content-Length may be sent only once' },
  HPE_INVALID_TRANSFER_ENCODING: { kind: 'badRequest', detail: 'Transfer-Encoding must end with chunked' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { kind: 'badRequest', detail: 'The chunk extensions are larger than this API accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    kind: 'requestTimeout',
    detail: 'The request (headers and the body it declared) did not arrive in time',
  },
};
const NOT_HTTP = { kind: 'badRequest', detail: 'The request is not valid HTTP/1.1' } as const;
/** A request line whose method is a syntactically valid token (RFC 9110 §9.1) that Node does not know. */
const UNKNOWN_METHOD_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]\r?\n/;

/** Node's parser uses one code for two faults; its `reason` tells them apart. */
const LENGTH_AND_CHUNKED = {
  kind: 'badRequest',
  detail: 'Content-Length and Transfer-Encoding may not both be sent (RFC 9112 §6.1)',
} as const;

interface ParserError extends Error {
  code?: string;
  reason?: string;
  rawPacket?: Buffer;
}

/** The problem a parser error becomes; an unknown method is 501 (RFC 9110 §15.6.2), other garbage 400. */
export function problemOfClientError(error: ParserError): ProblemBody {
  if (error.code === 'HPE_INVALID_METHOD') {
    const line = error.rawPacket?.subarray(0, 8_192).toString('latin1') ?? '';
    return UNKNOWN_METHOD_LINE.test(line)
      ? problemBody('notImplemented', 'This API does not implement that method')
      : problemBody(NOT_HTTP.kind, NOT_HTTP.detail);
  }
  if (error.code === 'HPE_INVALID_TRANSFER_ENCODING' && /Content-Length/i.test(error.reason ?? '')) {
    return problemBody(LENGTH_AND_CHUNKED.kind, LENGTH_AND_CHUNKED.detail);
  }
  const known = error.code === undefined ? undefined : PROBLEM_OF_CODE[error.code];
  return problemBody(known?.kind ?? NOT_HTTP.kind, known?.detail ?? NOT_HTTP.detail);
}

/** A complete HTTP/1.1 response carrying `body` as problem+json, closing the connection. */
export function rawProblemResponse(body: ProblemBody): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? 'Error'}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(json)}`,
    `X-Request-Id: ${body.request_id ?? ''}`,
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    // What follows on this connection cannot be trusted to start a new request.
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

/**
 * The http.Server `clientError` listener: what Node's parser refuses before
 * Express sees a request (oversized headers, a bad or doubled length, an
 * unknown method, a request that does not arrive in time) is answered as
 * problem+json, where HTTP still allows an answer, instead of Node's empty
 * 400. The connection is then closed.
 */
export function clientErrorHandler(logger: Logger): (error: ParserError, socket: Duplex) => void {
  const log = logger.child({ component: 'http' });
  return (error, socket) => {
    // A response already under way on this socket cannot be replaced without corrupting it (Node's own rule).
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const body = { ...problemOfClientError(error), request_id: randomUUID() };
    log.info({ request_id: body.request_id, status: body.status, error_code: error.code }, 'client error');
    socket.end(rawProblemResponse(body), () => socket.destroy());
  };
}
