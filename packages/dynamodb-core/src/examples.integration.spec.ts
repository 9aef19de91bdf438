import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { testDynamoDBEndpoint } from '@vitals/local-dynamodb';

const root = resolve(__dirname, '../../..');

describe('examples/quick-start.ts (the README example)', () => {
  it('runs to completion against DynamoDB Local and prints what the README says', async () => {
    const { stdout } = await promisify(execFile)(
      resolve(root, 'node_modules/.bin/tsx'),
      [
        '--tsconfig',
        resolve(root, 'tsconfig.base.json'),
        '--conditions=@vitals/source',
        resolve(__dirname, '../examples/quick-start.ts'),
        testDynamoDBEndpoint(),
      ],
      { cwd: root, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    const got = /^get: (.*)$/m.exec(stdout)?.[1];
    expect(JSON.parse(got ?? 'null')).toEqual({
      date: '2025-05-23',
      timestamp: '1300',
      medications: { oxycodone: '5mg' },
      o2: '88',
    });
    expect(stdout).toContain('query: 100 items');
    expect(stdout).toContain('condition failed; existing o2: 88');
  }, 60_000);
});
