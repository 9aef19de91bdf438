import type { Logger } from '@vitals/dynamodb-core';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import type { BearerTokens } from '../auth/bearer-tokens.ts';
import { nightscoutPrincipalOf } from '../auth/nightscout-credentials.ts';
import { ApiProblem } from './problem-details.ts';

/**
 * Whose budget a request spends: a valid credential's user, so users behind
 * one proxy or NAT address do not share one; otherwise the client address
 * (`req.ip`, which follows `X-Forwarded-For` only as far as the `trust proxy`
 * setting allows). Every form of credential the API accepts anywhere counts
 * (a Bearer JWT or access token, a Nightscout `api-secret` or `?token=`), so
 * all of one user's tokens share one budget. A forged, expired or revoked
 * one cannot pick a user's bucket: only a verified one counts.
 */
async function bucketOf(req: Request, tokens: BearerTokens): Promise<string> {
  const principal = await nightscoutPrincipalOf(req, { tokens }).catch(() => undefined);
  if (principal !== undefined) return `subject:${principal.user_id}`;
  // IPv6 clients get a /56 each, as one host may hold a whole range.
  return `address:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '')}`;
}

/**
 * A fixed one-minute window per subject or client address; over the limit
 * is a 429 problem with the standard `RateLimit` and `Retry-After` headers.
 * The library's configuration warnings go to the log as one structured
 * line, never as a stack on the console.
 */
export function rateLimiter(perMinute: number, tokens: BearerTokens, logger: Logger): RequestHandler {
  const log = logger.child({ component: 'rate-limit' });
  const report = (level: 'warn' | 'error') => (problem: unknown, message?: string) => {
    const { code, message: text } = (problem ?? {}) as { code?: unknown; message?: unknown };
    log[level]({ code: typeof code === 'string' ? code : undefined }, message ?? (typeof text === 'string' ? text : 'rate limiter'));
  };
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => bucketOf(req, tokens),
    logger: { warn: report('warn'), error: report('error') },
    handler: (_req, _res, next) => {
      next(new ApiProblem('rateLimited', `More than ${perMinute} requests in a minute; retry after the time in Retry-After`));
    },
  });
}
