import { ContainerModule } from 'inversify';
import { BearerTokens } from '../auth/bearer-tokens.ts';
import type { ApiConfig } from '../config/api-config.ts';
import { API_TOKENS } from './tokens.ts';

/** The API's own bindings: its config and the bearer-token issuer/verifier. */
export function apiModule(config: ApiConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(API_TOKENS.Config).toConstantValue(config);
    bind(BearerTokens).toSelf().inSingletonScope();
  });
}
