import { isIP } from 'node:net';

/**
 * Which proxies' `X-Forwarded-For` the API believes, in a form Express's
 * `trust proxy` setting takes: `false` (none: the client is the socket's
 * peer), a hop count, or addresses / subnets / Express's preset names.
 */
export type TrustProxy = false | number | string[];

const PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (PRESETS.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (version === 4 ? 32 : 128);
  // Express also takes an IPv4 netmask after the slash.
  return version === 4 && isIP(prefix) === 4;
}

/**
 * Parses `TRUST_PROXY`: empty or `false` → trust nobody (the default); a
 * number → that many proxies in front; otherwise a comma-separated list of
 * addresses, CIDR subnets and `loopback` / `linklocal` / `uniquelocal`.
 * `true` is refused: it would let any client choose its rate-limit bucket
 * with a forged `X-Forwarded-For`.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { message: string } {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? { value: hops } : { message: `must be a hop count 0..100 (got "${text}")` };
  }
  if (text === 'true') {
    return { message: 'true would trust any client\'s X-Forwarded-For; give the number of proxies in front, or their addresses or subnets' };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !validEntry(entry));
  if (bad.length > 0) {
    return {
      message: `must be false, a hop count, or addresses / subnets / loopback, linklocal, uniquelocal, comma-separated (not ${bad.map((entry) => `"${entry}"`).join(', ')})`,
    };
  }
  return { value: entries };
}
