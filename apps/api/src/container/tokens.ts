import type { ServiceIdentifier } from 'inversify';
import type { ApiConfig } from '../config/api-config.ts';

/** Injection tokens of the API's own bindings. */
export const API_TOKENS = {
  Config: Symbol.for('@vitals/api/ApiConfig') as ServiceIdentifier<ApiConfig>,
} as const;
