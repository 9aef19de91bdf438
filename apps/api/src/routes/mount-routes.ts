import type { Logger } from '@vitals/dynamodb-core';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { BearerTokens } from '../auth/bearer-tokens.ts';
import { nightscoutPrincipalOf } from '../auth/nightscout-credentials.ts';
import { principalOf } from '../auth/request-principal.ts';
import { mayActFor, mayUseHealthLog, type Principal } from '../auth/scopes.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { validateRequest } from '../middleware/validate-request.ts';
import type { BearerRoute, Reply, Route } from './route.ts';

/** `/v1/users/{user_id}` → `/v1/users/:user_id` */
export function expressPath(path: string): string {
  return path.replace(/\{([a-z_]+)\}/g, ':$1');
}

/** Who may do what beyond the scopes a token carries. */
export interface AccessPolicy {
  /** The user whose recovery health log this deployment holds; undefined: admins only. */
  healthLogOwner: string | undefined;
}

function authorize(route: BearerRoute, principal: Principal, req: Request, policy: AccessPolicy): void {
  // The log is one person's: to anyone else it does not exist, whatever their scopes (the 404 of an unknown route).
  if (route.subject === 'health-log' && !mayUseHealthLog(principal, policy.healthLogOwner)) {
    throw new ApiProblem('notFound', 'No such route');
  }
  if (route.scope !== null && !principal.scopes.has(route.scope)) {
    throw new ApiProblem('forbidden', `This token lacks the scope ${route.scope}`, undefined, {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${route.scope}"`,
    });
  }
  // Checked before validation and before any read, so the answer for another user never depends on their data.
  if (route.subject === 'path-user' && !mayActFor(principal, String(req.params['user_id']))) {
    throw new ApiProblem('forbidden', "This token may access only its own user's data");
  }
}

/**
 * The principal of the request's credentials, in the forms the route
 * accepts: a Nightscout route also takes the forms its clients send
 * (`api-secret`, `?token=`), resolved to personal access tokens.
 */
function authenticate(route: Route, req: Request, tokens: BearerTokens): Promise<Principal> {
  return route.credentials === 'nightscout' ? nightscoutPrincipalOf(req, { tokens }) : principalOf(req, tokens);
}

/**
 * Authenticates, authorises, validates and handles one request. A public
 * route (`public: true`) needs no credentials — its handler gets no
 * principal, only `identify()` to ask for one; every other route refuses a
 * request without a valid token before anything else happens.
 */
async function handled(
  route: Route,
  req: Request,
  tokens: BearerTokens,
  policy: AccessPolicy,
  who: { actor?: string; token_id?: string; subject?: string },
): Promise<Reply> {
  const request = () =>
    validateRequest(route, {
      params: req.params,
      query: req.query,
      body: req.body,
      hasJsonBody: typeof req.is('application/json') === 'string',
    });
  if (route.public === true) {
    const identify = () => authenticate(route, req, tokens).catch(() => undefined);
    return route.handle({ ...request(), principal: undefined, headers: req.headers, identify });
  }
  const principal = await authenticate(route, req, tokens);
  who.actor = principal.user_id;
  who.token_id = principal.access_token?.token_id;
  if (route.subject === 'credentials-user') who.subject = principal.user_id;
  authorize(route, principal, req, policy);
  return route.handle({ ...request(), principal, headers: req.headers });
}

/** The reply written out: JSON, none (204), or a page when the route documents `text/html` for its status. */
function send(route: Route, reply: Reply, res: Response): void {
  res.status(reply.status);
  if (reply.headers !== undefined) res.set(reply.headers);
  const html = route.responses[reply.status as keyof Route['responses']]?.contentType === 'text/html';
  if (reply.body === undefined) res.end();
  else if (html && typeof reply.body === 'string') res.type('text/html; charset=utf-8').send(reply.body);
  else res.json(reply.body);
}

/**
 * A router serving `routes`: each request is authenticated, authorised,
 * validated, handled, and — once it finishes — written to the audit log
 * (who, which operation, whose data, the outcome; never values).
 */
export function mountRoutes(routes: readonly Route[], tokens: BearerTokens, logger: Logger, policy: AccessPolicy): Router {
  const audit = logger.child({ component: 'audit' });
  const router = Router();
  for (const route of routes) {
    const handler: RequestHandler = async (req, res) => {
      // Attached first, so refused calls (401/403) are audited too: who tried what on whose data.
      const who: { actor?: string; token_id?: string; subject?: string } = {
        subject: route.subject === 'path-user' ? String(req.params['user_id']) : route.subject === 'health-log' ? 'health-log' : undefined,
      };
      res.once('finish', () => {
        audit.info({
          request_id: res.getHeader('x-request-id'),
          actor: who.actor,
          // Which access token acted (its id, never its text), when one did.
          token_id: who.token_id,
          action: route.operationId,
          subject: who.subject,
          status: res.statusCode,
        });
      });
      const reply = await handled(route, req, tokens, policy, who);
      who.subject = reply.subject ?? who.subject;
      send(route, reply, res);
    };
    router[route.method](expressPath(route.path), handler);
  }
  return router;
}
