import { allEntities } from '@vitals/models';
import { runCli, uniquePrefix } from '../test-support/run-cli.ts';

describe('vitals-migrate tables', () => {
  const prefix = uniquePrefix();
  const env = { TABLE_PREFIX: prefix };
  const actionsOf = (stdout: string) => (JSON.parse(stdout) as { details: { actions: { table: string; action: string }[] } }).details.actions;
  /** Every registered entity's table under `prefix`: what the CLI must plan, create and report. */
  const tablesUnder = (under: string) => allEntities.map((entity) => entity.tableName(under));

  it('plan lists every table to create and writes nothing; apply creates them; a second apply changes nothing', async () => {
    const plan = await runCli(['tables', 'plan', '--json'], env);
    expect(plan.code).toBe(0);
    expect(actionsOf(plan.stdout).filter((a) => a.action === 'createTable').map((a) => a.table).sort()).toEqual(tablesUnder(prefix).sort());
    expect(actionsOf((await runCli(['tables', 'plan', '--json'], env)).stdout)).toHaveLength(actionsOf(plan.stdout).length);

    const dryRun = await runCli(['tables', 'apply', '--dry-run', '--json'], env);
    expect(JSON.parse(dryRun.stdout)).toMatchObject({ dry_run: true, written: 0 });

    const apply = await runCli(['tables', 'apply', '--pitr', '--json'], env);
    expect(apply.code).toBe(0);
    const report = JSON.parse(apply.stdout) as { written: number; skipped: { where: string; reason: string }[] };
    expect(actionsOf(apply.stdout)).toEqual(
      expect.arrayContaining([
        { table: `${prefix}bg_readings`, action: 'enableTimeToLive', attribute: 'expires_at' },
        { table: `${prefix}sync_jobs`, action: 'enableTimeToLive', attribute: 'expires_at' },
      ]),
    );
    // DynamoDB Local has no point-in-time recovery: reported as skipped with the reason, not a crash.
    expect(report.skipped).toHaveLength(allEntities.length);
    expect(report.skipped.map((skip) => skip.where).sort()).toEqual(tablesUnder(prefix).map((table) => `${table} enablePointInTimeRecovery`).sort());
    expect(report.skipped[0]?.reason).toContain('does not support');

    const again = await runCli(['tables', 'apply', '--json'], env);
    expect(again.code).toBe(0);
    expect(actionsOf(again.stdout)).toEqual([]);
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 0 });
  });

  it('prints a human report without --json', async () => {
    const result = await runCli(['tables', 'plan'], { TABLE_PREFIX: uniquePrefix() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/would create table e2e-[0-9a-f]{8}-bg_readings \(PAY_PER_REQUEST\) with its indexes/);
    expect(result.stderr).toMatch(new RegExp(`tables plan\n {2}read ${allEntities.length}, written 0, skipped 0`));
  });

  it('--help documents every option and exits 0', async () => {
    const result = await runCli(['tables', 'apply', '--help']);
    expect(result.code).toBe(0);
    for (const option of ['--billing-mode', '--read', '--write', '--pitr', '--deletion-protection', '--dry-run', '--json']) {
      expect(result.stdout).toContain(option);
    }
  });

  it.each([
    [['tables', 'plan', '--billing-mode', 'NOPE'], /Allowed choices are PAY_PER_REQUEST, PROVISIONED/],
    [['tables', 'apply', '--read', '0'], /must be an integer >= 1/],
    [['tables', 'destroy'], /unknown command|too many arguments/],
  ])('usage error %j exits 2 with a clear message', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a bad environment exits 2 naming every bad variable, before touching DynamoDB', async () => {
    const result = await runCli(['tables', 'plan'], { AWS_REGION: 'moon', DYNAMODB_ENDPOINT: 'ftp://nowhere' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AWS_REGION');
    expect(result.stderr).toContain('DYNAMODB_ENDPOINT');
  });
});
