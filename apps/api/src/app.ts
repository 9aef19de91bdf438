import { DYNAMODB_CORE_TOKENS } from '@vitals/dynamodb-core';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Container } from 'inversify';
import { appPageRoutes } from './app-page/app-page.routes.ts';
import { BearerTokens } from './auth/bearer-tokens.ts';
import { API_TOKENS } from './container/tokens.ts';
import { ApiProblem, problemHandler } from './middleware/problem-details.ts';
import { rateLimiter } from './middleware/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { openApiDocument } from './openapi/openapi-document.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { mountRoutes } from './routes/mount-routes.ts';
import { serviceRoutes } from './routes/service.routes.ts';

/** Version of the API contract, as the OpenAPI document states it. */
export const API_VERSION = '1.0.0';

/**
 * Builds the Express app from a container made by `createApiContainer`:
 * request ids and logs, security headers, the service routes and the
 * dashboard's static files (`/app/`), then rate
 * limiting, the JSON body limit and every authenticated route; anything
 * else is a 404, and every failure is problem+json.
 */
export function createApp(container: Container): Express {
  const config = container.get(API_TOKENS.Config);
  const logger = container.get(DYNAMODB_CORE_TOKENS.Logger);
  const routes = apiRoutes(container);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.trust_proxy);
  app.use(requestContext(logger));
  // Plain-HTTP development must not have its docs' assets upgraded to an https that is not there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.production ? [] : null } } }));
  app.use(serviceRoutes(container, openApiDocument(routes, API_VERSION)));
  app.use(appPageRoutes());
  app.use(rateLimiter(config.rate_limit_per_minute, container.get(BearerTokens), logger));
  app.use(express.json({ limit: config.body_limit_bytes }));
  app.use(mountRoutes(routes, container.get(BearerTokens), logger, { healthLogOwner: config.health_log_owner }));
  app.use((_req, _res, next) => {
    next(new ApiProblem('notFound', 'No such route'));
  });
  app.use(problemHandler(logger));
  return app;
}
