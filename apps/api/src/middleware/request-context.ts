import type { Logger } from '@vitals/dynamodb-core';
import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';

/** A client's own request id is kept when it is short and plain, so it can be traced across services. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the client's `X-Request-Id`, or a new UUID),
 * echoes it in the response, and logs one line when the response finishes:
 * method, the route template (never the path as sent, whose parameters can
 * carry a credential — `/api/v2/authorization/request/{access_token}` — nor
 * the query string, which can carry health values or `?token=`), status and
 * duration; a request no route matched logs no route at all. No headers, no
 * bodies.
 */
export function requestContext(logger: Logger): RequestHandler {
  const log = logger.child({ component: 'http' });
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route as { path?: string } | undefined;
      log.info(
        {
          request_id: id,
          method: req.method,
          route: route?.path === undefined ? undefined : `${req.baseUrl}${route.path}`,
          status: res.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    });
    next();
  };
}
