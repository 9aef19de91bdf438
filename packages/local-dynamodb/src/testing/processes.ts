import { execFileSync } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  args: string;
}

/** Every process on the machine, as `ps` sees it now. */
export function processes(): ProcessInfo[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }));
}

/** DynamoDB Local JVMs serving `port`, whoever their parent is now (an orphan's is init). */
export function dynamoDBLocalProcesses(port: number): ProcessInfo[] {
  const serving = new RegExp(`-port ${port}(\\s|$)`);
  return processes().filter((process) => process.args.includes('DynamoDBLocal.jar') && serving.test(process.args));
}
