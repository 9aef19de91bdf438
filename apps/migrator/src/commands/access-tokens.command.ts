import { AccessTokenIdSchema, AccessTokenInputSchema, ApiScopeSchema, API_SCOPES, InstantInputSchema, type AccessTokenView, type ApiScope } from '@vitals/models';
import { InvalidArgumentError, type Command } from 'commander';
import { accessTokenLine, createAccessToken, howToUse, listAccessTokens, revokeAccessToken } from '../access-tokens/access-tokens.ts';
import { withContext } from '../runtime/context.ts';
import { UsageError } from '../runtime/usage-error.ts';
import { userArgument, type CommandKit, type CommonFlags } from './command-kit.ts';

const jsonFlag = ['--json', 'print a machine-readable report on stdout (create: with the token)'] as const;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--scope`, repeatable: each one of the API's scopes. */
function scopeArgument(value: string, previous: ApiScope[] = []): ApiScope[] {
  const parsed = ApiScopeSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`must be one of ${API_SCOPES.join(', ')}`);
  return [...previous, parsed.data];
}

/** `--expires-at`: an RFC 3339 instant with an offset. */
function instantArgument(value: string): string {
  const parsed = InstantInputSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('must be an RFC 3339 date-time with an offset, e.g. 2027-01-01T00:00:00Z');
  return parsed.data;
}

/** `--expires-in`: a whole number of minutes, hours, days or weeks (`90d`, `12h`). */
function durationArgument(value: string): number {
  const match = /^([1-9]\d{0,5})([mhdw])$/.exec(value);
  if (match === null) throw new InvalidArgumentError('must be a whole number and a unit, m h d or w, e.g. 90d');
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** `--token-id`: a token's id as `access-tokens list` prints it. */
function tokenIdArgument(value: string): string {
  if (!AccessTokenIdSchema.safeParse(value).success) throw new InvalidArgumentError('must be a token id (a UUID) as access-tokens list prints it');
  return value;
}

interface CreateFlags extends CommonFlags {
  user: string;
  name: string;
  scope: ApiScope[];
  expiresAt?: string;
  expiresIn?: number;
}

/** The create input the flags describe, checked before anything connects: a bad one is a usage error. */
function createInput(flags: CreateFlags, now: Date) {
  if (flags.expiresAt !== undefined && flags.expiresIn !== undefined) throw new UsageError('give --expires-at or --expires-in, not both');
  const expiresAt = flags.expiresIn === undefined ? flags.expiresAt : new Date(now.getTime() + flags.expiresIn).toISOString();
  if (expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime()) throw new UsageError(`--expires-at must be in the future (now: ${now.toISOString()})`);
  const parsed = AccessTokenInputSchema.safeParse({ name: flags.name, scopes: flags.scope, ...(expiresAt === undefined ? {} : { expires_at: expiresAt }) });
  if (!parsed.success) {
    const flag = (path: PropertyKey[]) => ({ name: '--name', scopes: '--scope', expires_at: '--expires-at' })[String(path[0])] ?? 'input';
    throw new UsageError(parsed.error.issues.map((issue) => `${flag(issue.path)}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * `access-tokens create | list | revoke`: personal access tokens, as an
 * operator issues the first one (`AccessTokenRepository`, the same the API's
 * routes use). The token is printed once, alone on stdout (with --json: in
 * the report), and how to use it on stderr.
 */
export function registerAccessTokenCommands(program: Command, kit: CommandKit): void {
  const group = program.command('access-tokens').description("a user's personal access tokens: create (printed once), list, revoke");

  group
    .command('create')
    .description('create a token and print it once; it is stored only as a hash')
    .requiredOption('--user <id>', 'whose token it is', userArgument)
    .requiredOption('--name <text>', 'what it is for, 1..100 characters (e.g. "Mum\'s phone")')
    .requiredOption('--scope <scope>', `a scope it carries, repeatable: ${API_SCOPES.join(', ')}`, scopeArgument)
    .option('--expires-at <instant>', 'when it stops working (RFC 3339); default: never', instantArgument)
    .option('--expires-in <duration>', 'or how long it works: 90d, 12h, 2w, 30m', durationArgument)
    .option(...jsonFlag, false)
    .action(async (flags: CreateFlags) => {
      const input = createInput(flags, new Date());
      const report = await withContext(kit.io.env, (context) => createAccessToken(context, flags.user, input));
      if (!flags.json) {
        const details = report.details as { token: string; access_token: AccessTokenView };
        kit.io.stdout.write(`${details.token}\n`);
        kit.io.stderr.write(`${howToUse(details.access_token)}\n`);
        // The token is on stdout once; the report on stderr does not repeat it.
        kit.emit({ ...report, details: { access_token: details.access_token } }, flags);
      } else kit.emit(report, flags);
    });

  group
    .command('list')
    .description("a user's tokens, oldest first: id, name, scopes, created, expiry, last use (never the tokens)")
    .requiredOption('--user <id>', 'whose tokens', userArgument)
    .option(...jsonFlag, false)
    .action(async (flags: CommonFlags & { user: string }) => {
      const report = await withContext(kit.io.env, (context) => listAccessTokens(context, flags.user));
      if (!flags.json) for (const token of report.details?.['access_tokens'] as AccessTokenView[]) kit.io.stdout.write(`${accessTokenLine(token)}\n`);
      kit.emit(report, flags);
    });

  group
    .command('revoke')
    .description('revoke one token: it fails from the next request on')
    .requiredOption('--user <id>', 'whose token', userArgument)
    .requiredOption('--token-id <id>', 'its id, as access-tokens list prints it', tokenIdArgument)
    .option(...jsonFlag, false)
    .action(async (flags: CommonFlags & { user: string; tokenId: string }) => {
      kit.emit(await withContext(kit.io.env, (context) => revokeAccessToken(context, flags.user, flags.tokenId)), flags);
    });
}
