import { accessTokenEntity } from '@vitals/models';
import { createHash } from 'node:crypto';
import { runCli, testService, uniquePrefix } from '../test-support/run-cli.ts';

const db = testService();
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface JsonReport {
  command: string;
  written: number;
  skipped: { where: string; reason: string }[];
  details: Record<string, unknown>;
  exit_code: number;
}

describe('vitals-migrate access-tokens', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const stored = async () => {
    const items: Record<string, unknown>[] = [];
    for await (const page of db.items.scanPages({ tableName: accessTokenEntity.tableName(prefix) })) items.push(...page.items);
    return items;
  };

  beforeAll(async () => {
    expect((await runCli(['tables', 'apply'], env)).code).toBe(0);
  });
  afterAll(() => db.close());

  it('creates a token, prints it once alone on stdout with how to use it on stderr, and stores only its hash; list shows it, revoke ends it', async () => {
    const created = await runCli(['access-tokens', 'create', '--user', 'alice', '--scope', 'readings:read', '--scope', 'readings:write', '--name', "Alice's xDrip+", '--expires-in', '90d'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^vat_[A-Za-z0-9_-]{43}\n$/);
    const token = created.stdout.trim();
    expect(created.stderr).toContain('access token "Alice\'s xDrip+" for alice');
    expect(created.stderr).toContain('Authorization: Bearer <token>');
    expect(created.stderr).toContain('API secret of a Nightscout client');
    expect(created.stderr).toMatch(/access-tokens create\n {2}read 0, written 1, skipped 0/);
    expect(created.stderr).not.toContain(token);

    const items = await stored();
    expect(items).toHaveLength(1);
    const [item] = items;
    expect(item).toMatchObject({ user_id: 'alice', name: "Alice's xDrip+", scopes: ['readings:read', 'readings:write'], token_hash: sha256(sha1(token)) });
    const expiresIn = Date.parse(item?.['expires_at'] as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(89 * 86_400_000);
    expect(expiresIn).toBeLessThanOrEqual(90 * 86_400_000);
    expect(JSON.stringify(items)).not.toContain(token.slice(4));
    expect(JSON.stringify(items)).not.toContain(sha1(token));

    const listed = await runCli(['access-tokens', 'list', '--user', 'alice'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${item?.['token_id']} {2}"Alice's xDrip\\+" {2}readings:read readings:write {2}created .+, expires .+, never used\\n$`));
    expect(`${listed.stdout}${listed.stderr}`).not.toContain(token.slice(4));

    const revoked = await runCli(['access-tokens', 'revoke', '--user', 'alice', '--token-id', String(item?.['token_id']), '--json'], env);
    expect(revoked.code).toBe(0);
    expect((JSON.parse(revoked.stdout) as JsonReport)).toMatchObject({ command: 'access-tokens revoke', written: 1, skipped: [] });
    expect(await stored()).toEqual([]);

    // Run again, it changes nothing and says why.
    const again = await runCli(['access-tokens', 'revoke', '--user', 'alice', '--token-id', String(item?.['token_id'])], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`skipped ${item?.['token_id']}: alice holds no access token with this id`);
  });

  it('with --json, prints the report with the token and its metadata on stdout; a token without expiry never expires', async () => {
    const created = await runCli(['access-tokens', 'create', '--user', 'bob', '--scope', 'admin', '--name', 'ops', '--json'], env);
    expect(created.code).toBe(0);
    const report = JSON.parse(created.stdout) as JsonReport;
    expect(report).toMatchObject({
      command: 'access-tokens create',
      written: 1,
      details: { token: expect.stringMatching(/^vat_/), access_token: { user_id: 'bob', name: 'ops', scopes: ['admin'], expires_at: null, last_used_at: null } },
    });
    const listed = JSON.parse((await runCli(['access-tokens', 'list', '--user', 'bob', '--json'], env)).stdout) as JsonReport;
    expect(listed.details['access_tokens']).toEqual([(report.details['access_token'] as object)]);
    expect(JSON.stringify(listed)).not.toContain(report.details['token'] as string);
  });

  it('when --expires-at is given, stores it normalised to UTC', async () => {
    const created = await runCli(['access-tokens', 'create', '--user', 'carol', '--scope', 'readings:read', '--name', 'Mum', '--expires-at', '2099-01-01T12:00:00+02:00', '--json'], env);
    expect(JSON.parse(created.stdout).details.access_token.expires_at).toBe('2099-01-01T10:00:00.000Z');
  });

  it.each([
    [['--scope', 'readings:read', '--name', 'x'], "required option '--user <id>' not specified"],
    [['--user', 'dave', '--name', 'x'], "required option '--scope <scope>' not specified"],
    [['--user', 'dave', '--scope', 'readings:read'], "required option '--name <text>' not specified"],
    [['--user', 'dave', '--scope', 'readings:everything', '--name', 'x'], "option '--scope <scope>' argument 'readings:everything' is invalid. must be one of readings:read"],
    [['--user', 'dave', '--scope', 'readings:read', '--scope', 'readings:read', '--name', 'x'], '--scope: must name each scope once'],
    [['--user', 'dave', '--scope', 'readings:read', '--name', '   '], '--name: must not be empty'],
    [['--user', 'dave', '--scope', 'readings:read', '--name', 'x', '--expires-in', '90 days'], "option '--expires-in <duration>' argument '90 days' is invalid. must be a whole number and a unit"],
    [['--user', 'dave', '--scope', 'readings:read', '--name', 'x', '--expires-at', 'tomorrow'], "option '--expires-at <instant>' argument 'tomorrow' is invalid"],
    [['--user', 'dave', '--scope', 'readings:read', '--name', 'x', '--expires-at', '2001-01-01T00:00:00Z'], '--expires-at must be in the future'],
    [['--user', 'dave', '--scope', 'readings:read', '--name', 'x', '--expires-at', '2099-01-01T00:00:00Z', '--expires-in', '1d'], 'give --expires-at or --expires-in, not both'],
  ])('when create is called with %j, exits 2 with one line saying what is wrong, and stores nothing', async (args, message) => {
    const result = await runCli(['access-tokens', 'create', ...args], env);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await stored()).filter((item) => item['user_id'] === 'dave')).toEqual([]);
  });

  it('when revoke names something that is not a token id, exits 2', async () => {
    const result = await runCli(['access-tokens', 'revoke', '--user', 'alice', '--token-id', 'tok-1'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be a token id (a UUID) as access-tokens list prints it');
  });

  it('when asked for help, lists create, list and revoke, and the flags of create', async () => {
    const help = await runCli(['access-tokens', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create[\s\S]*list[\s\S]*revoke/);
    const create = await runCli(['access-tokens', 'create', '--help'], env);
    expect(create.stdout).toMatch(/--user <id>[\s\S]*--name <text>[\s\S]*--scope <scope>[\s\S]*--expires-at <instant>[\s\S]*--expires-in <duration>/);
  });
});
