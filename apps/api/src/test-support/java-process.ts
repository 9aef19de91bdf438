import { readFileSync, readdirSync } from 'node:fs';

/**
 * The id of the DynamoDB Local (Java) process listening on `port`, read from
 * /proc (Linux): the tests stop and resume it with signals to play a hung
 * database, and `startLocalDynamoDB` hands back no process.
 */
export function dynamoDBLocalPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    const portAt = args.indexOf('-port');
    if (args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && portAt >= 0 && args[portAt + 1] === String(port)) return Number(entry);
  }
  throw new Error(`no DynamoDB Local process listens on port ${port}`);
}
