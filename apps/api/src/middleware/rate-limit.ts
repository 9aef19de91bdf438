import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { ApiProblem } from './problem-details.ts';

/**
 * Per client address, a fixed one-minute window; over the limit is a 429
 * problem with the standard `RateLimit` and `Retry-After` headers.
 */
export function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new ApiProblem('rateLimited', `More than ${perMinute} requests in a minute; retry after the time in Retry-After`));
    },
  });
}
