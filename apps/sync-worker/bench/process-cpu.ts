/*
 * CPU time (user + system) of the processes a contender keeps busy, read
 * from /proc: DynamoDB Local's JVM, the worker processes and this process
 * (the Dexcom simulator, and the raw loop). Divided by the readings stored,
 * it says what one reading costs each of them — which, on a machine whose
 * cores they share, is what bounds items/s. Linux only: elsewhere the
 * figures are null.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU time `pid` has used so far, in ms; undefined when /proc does not show it. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is the 1st field, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** This process's CPU time so far, in ms (µs resolution). */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
}

/** The JVM serving DynamoDB Local on `port` (its command line names the jar and `-port <port>`), when /proc shows it. */
export function dynamoDBLocalPid(port: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portAt = args.indexOf('-port');
    if (portAt >= 0 && args[portAt + 1] === String(port) && args.some((arg) => arg.includes('DynamoDBLocal'))) return Number(entry);
  }
  return undefined;
}
