import { z } from 'zod';

/**
 * Every scope an API credential may carry: a JWT's `scope` claim or a
 * personal access token's `scopes`. The API's route table names the one each
 * route needs; `admin` may act for every user.
 */
export const API_SCOPES = [
  'readings:read',
  'readings:write',
  'tokens:write',
  'sync:read',
  'sync:write',
  'health:read',
  'health:write',
  'admin',
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** One of `API_SCOPES`, by name. */
export const ApiScopeSchema = z.enum(API_SCOPES);
