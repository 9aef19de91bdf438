import type { AccessTokenInput, AccessTokenView } from '@vitals/models';
import { AccessTokenRepository } from '@vitals/repositories';
import { finishReport, type Report } from '../report/report.ts';
import type { MigratorContext } from '../runtime/context.ts';

/**
 * `access-tokens create`: a personal access token for `userId`, for an
 * operator to hand over (the first one a person gets, or a caregiver's).
 * The report's details carry the token, once: the CLI prints it and it is
 * stored only as a hash.
 */
export async function createAccessToken(context: MigratorContext, userId: string, input: AccessTokenInput): Promise<Report> {
  const started = performance.now();
  const created = await context.container.get(AccessTokenRepository).create(userId, input);
  return finishReport(
    { command: 'access-tokens create', dry_run: false, read: 0, written: 1, skipped: [], details: { token: created.token, access_token: created.view } },
    started,
  );
}

/** `access-tokens list`: a user's tokens, oldest first, metadata only. */
export async function listAccessTokens(context: MigratorContext, userId: string): Promise<Report> {
  const started = performance.now();
  const listed = await context.container.get(AccessTokenRepository).list(userId);
  return finishReport({ command: 'access-tokens list', dry_run: false, read: listed.length, written: 0, skipped: [], details: { access_tokens: listed } }, started);
}

/** `access-tokens revoke`: deletes one token of a user; one the user does not hold is reported (exit 1), nothing else happens. */
export async function revokeAccessToken(context: MigratorContext, userId: string, tokenId: string): Promise<Report> {
  const started = performance.now();
  const revoked = await context.container.get(AccessTokenRepository).revoke(userId, tokenId);
  const skipped = revoked === undefined ? [{ where: tokenId, reason: `${userId} holds no access token with this id (revoked already, or never theirs)` }] : [];
  return finishReport(
    {
      command: 'access-tokens revoke',
      dry_run: false,
      read: revoked === undefined ? 0 : 1,
      written: revoked === undefined ? 0 : 1,
      skipped,
      details: { access_token: revoked ?? null },
      exit_code: revoked === undefined ? 1 : 0,
    },
    started,
  );
}

/** One line of `access-tokens list`: id, name, scopes, and its dates. */
export function accessTokenLine(token: AccessTokenView): string {
  const expiry = token.expires_at === null ? 'never expires' : `expires ${token.expires_at}`;
  const used = token.last_used_at == null ? 'never used' : `last used ${token.last_used_at}`;
  return `${token.token_id}  ${JSON.stringify(token.name)}  ${token.scopes.join(' ')}  created ${token.created_at}, ${expiry}, ${used}`;
}

/** What the operator reads beside a new token: that it is shown once, and how its holder uses it. */
export function howToUse(token: AccessTokenView): string {
  const expiry = token.expires_at === null ? 'never expires' : `expires ${token.expires_at}`;
  return [
    `access token ${JSON.stringify(token.name)} for ${token.user_id} (id ${token.token_id}; ${token.scopes.join(' ')}; ${expiry})`,
    '  printed once on stdout and stored only as a hash: hand it over now, it cannot be shown again.',
    '  Use it as   Authorization: Bearer <token>   on every API route,',
    '  or as the API secret of a Nightscout client (xDrip+, Loop, nightscout-connect), with the Vitals host as its URL.',
    `  Revoke it:  npm run migrate -- access-tokens revoke --user ${token.user_id} --token-id ${token.token_id}`,
  ].join('\n');
}
