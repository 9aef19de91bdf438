import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../../..');

describe('examples/usage-examples.ts (every access pattern, against DynamoDB Local)', () => {
  it('runs to completion and every access pattern answers as documented', async () => {
    const { stdout } = await promisify(execFile)(
      resolve(root, 'node_modules/.bin/tsx'),
      [
        '--tsconfig',
        resolve(root, 'tsconfig.base.json'),
        '--conditions=@vitals/source',
        resolve(__dirname, '../examples/usage-examples.ts'),
        testDynamoDBEndpoint(),
      ],
      { cwd: root, timeout: 90_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    const lines = Object.fromEntries(
      stdout
        .split('\n')
        .filter((line) => line.includes(': '))
        .map((line) => [line.slice(0, line.indexOf(': ')), JSON.parse(line.slice(line.indexOf(': ') + 2))]),
    );
    expect(lines).toMatchObject({
      'reading get (mmol/L stored as mg/dL)': 112,
      'readings range, pages of 5': [5, 5, '2026-03-01T00:25:00.000Z'],
      'readings iterated': 13,
      'reading latest': '2026-03-01T01:00:00.000Z',
      'readings created since': 13,
      'reading deleted': '2026-03-01T01:00:00.000Z',
      'token saved (metadata only)': { version: 1, has_token: false },
      'token get (decrypted)': 'access-secret',
      'raw item holds plaintext': false,
      'tokens expiring before': ['alice'],
      'token rotation needed': false,
      'token deleted': 'dexcom',
      'job created': 'pending',
      'jobs of user': 1,
      'jobs due': [true],
      'job claimed': 'running',
      'job claimed again by another worker': null,
      'job heartbeat': 'worker-1',
      'job failed once (rescheduled)': 'pending',
      'jobs claimed from the due list': [true],
      'job completed': 288,
      'job cancelled': 'cancelled',
      'job get': 'cancelled',
      'expired leases': 0,
      'entry get (derived attributes)': [8, 129, 88],
      'entries of a date': ['0800', '1300'],
      'entries of a date between two times': ['1300'],
      'entries with oxycodone (any position)': ['2025-05-23/0800', '2025-05-23/1300'],
      'entries with journavx between dates': ['2025-05-24'],
      'entries with max pain 8': ['2025-05-23/0800', '2025-05-24/0900'],
      'entries iterated over a date range': 3,
      'summary rebuilt': [2, 8],
      'summaries rebuilt over a range': 2,
      'summaries of a range': ['2025-05-23', '2025-05-24'],
      'summary get': 1,
      'entry deleted (with its index items)': '1300',
      'entries with journavx after delete': ['2025-05-24'],
      'summary after saveEntry': [2, 6],
      'summary after deleteEntry': [1, 4],
      'days imported, summaries rebuilt': [2, ['2025-06-02', '2025-06-03']],
    });
    expect(stdout.trim().endsWith('done')).toBe(true);
  }, 90_000);
});
