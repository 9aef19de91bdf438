import { DexcomClient } from '@vitals/dexcom-client';
import { REPOSITORY_TOKENS, type Clock } from '@vitals/repositories';
import { ContainerModule } from 'inversify';
import { BearerTokens } from '../auth/bearer-tokens.ts';
import type { ApiConfig } from '../config/api-config.ts';
import { AuthorizationStates } from '../connections/authorization-state.ts';
import { API_TOKENS } from './tokens.ts';

/**
 * The API's own bindings: its config, the bearer-token issuer/verifier, the
 * Dexcom authorization states, and — when `config.dexcom` is set — the
 * Dexcom client the connect routes use (unbound otherwise: those routes then
 * answer 503). Both count time on the repositories' clock, so a test's
 * manual clock moves state expiry and token `expires_at` alike; a test may
 * `rebind` the client to point it elsewhere.
 */
export function apiModule(config: ApiConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(API_TOKENS.Config).toConstantValue(config);
    bind(BearerTokens).toSelf().inSingletonScope();
    bind(AuthorizationStates)
      .toResolvedValue((clock: Clock) => new AuthorizationStates(config.authorization_state_secret, () => clock.now()), [REPOSITORY_TOKENS.Clock])
      .inSingletonScope();
    const dexcom = config.dexcom;
    if (dexcom !== undefined) {
      bind(DexcomClient)
        .toResolvedValue((clock: Clock) => new DexcomClient(dexcom, { now: () => clock.now() }), [REPOSITORY_TOKENS.Clock])
        .inSingletonScope();
    }
  });
}
