import type { Container } from 'inversify';
import { accessTokensRoutes } from './access-tokens.routes.ts';
import { dexcomConnectionRoutes } from './dexcom-connection.routes.ts';
import { healthLogRoutes } from './health-log.routes.ts';
import { meRoutes } from './me.routes.ts';
import { nightscoutAuthorizationRoutes } from './nightscout-authorization.routes.ts';
import { nightscoutHistoryRoutes } from './nightscout-history.routes.ts';
import { nightscoutRoutes } from './nightscout.routes.ts';
import { readingChangesRoutes } from './reading-changes.routes.ts';
import { readingsRoutes } from './readings.routes.ts';
import type { Route } from './route.ts';
import { settingsRoutes } from './settings.routes.ts';
import { syncJobsRoutes } from './sync-jobs.routes.ts';
import { tokensRoutes } from './tokens.routes.ts';

/** Every declared route of the API (all but the callback need a bearer token), in the order the document lists them. */
export function apiRoutes(container: Container): Route[] {
  return [
    ...meRoutes(),
    ...readingsRoutes(container),
    ...readingChangesRoutes(container),
    ...settingsRoutes(container),
    ...tokensRoutes(container),
    ...accessTokensRoutes(container),
    ...syncJobsRoutes(container),
    ...dexcomConnectionRoutes(container),
    ...healthLogRoutes(container),
    ...nightscoutRoutes(container),
    ...nightscoutHistoryRoutes(container),
    ...nightscoutAuthorizationRoutes(container),
  ];
}
