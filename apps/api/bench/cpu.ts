/*
 * CPU time of the processes taking part in a run: this one (the servers),
 * the load generator and DynamoDB Local. Per response, their sum is what a
 * request costs the machine, which is what bounds throughput when the
 * cores are saturated — a figure far less sensitive to other load on the
 * machine than requests/s. Linux only (/proc); elsewhere the other
 * processes read as unknown.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of `pid` so far, in µs (clock-tick resolution); undefined when unreadable. */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1e6;
  } catch {
    return undefined;
  }
}

/** The process of the DynamoDB Local (DynamoDBLocal.jar) listening on `port`, when /proc shows it. */
export function dynamoDBLocalPid(port: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const portIndex = args.indexOf('-port');
      if (args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && portIndex >= 0 && args[portIndex + 1] === String(port)) {
        return Number(entry);
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

export interface CpuReading {
  server_us: number;
  load_generator_us: number | undefined;
  dynamodb_us: number | undefined;
}

/** Starts measuring; the returned function gives the CPU time each process used since. */
export function cpuSince(pids: { loadGenerator?: number; dynamodb?: number }): () => CpuReading {
  const server = process.cpuUsage();
  const loadGenerator = processCpuMicros(pids.loadGenerator);
  const dynamodb = processCpuMicros(pids.dynamodb);
  return () => {
    const used = process.cpuUsage(server);
    const loadGeneratorNow = processCpuMicros(pids.loadGenerator);
    const dynamodbNow = processCpuMicros(pids.dynamodb);
    return {
      server_us: used.user + used.system,
      load_generator_us: loadGenerator === undefined || loadGeneratorNow === undefined ? undefined : loadGeneratorNow - loadGenerator,
      dynamodb_us: dynamodb === undefined || dynamodbNow === undefined ? undefined : dynamodbNow - dynamodb,
    };
  };
}
