/**
 * nightscout-connect (npm, AGPL-3.0-or-later; a test-only devDependency,
 * never bundled or shipped) driven as a library: its own Nightscout output
 * (`lib/outputs/nightscout.js`, what its `forever` sidecar uploads through)
 * and its own Nightscout source (`lib/sources/nightscout.js`, what it reads a
 * Nightscout with), each given the real axios it is written for. Only the
 * CommonJS modules' shapes are typed here; their code runs unchanged.
 */

export type Entry = Record<string, unknown>;

/** The output: uploads a batch with `API-SECRET: sha1(apiSecret)`; `gap_for` reads the newest entry for its bookmark. */
export interface NightscoutOutput {
  (batch: { entries: Entry[]; treatments: Entry[] }): Promise<{ entries?: Date } | null>;
  gap_for(): Promise<{ entries?: Date }>;
}

/** The source's steps its state machine runs: read the entries after the bookmark, then wrap them as a batch. */
export interface NightscoutSource {
  dataFromSesssion(session: { bearer?: string }, lastKnown: { entries?: Date } | null): Promise<Entry[]>;
  transformGlucose(data: Entry[]): { entries: Entry[] };
}

/** What both factories are handed: axios, or an object with its `create`. */
export interface AxiosLike {
  create(config: Record<string, unknown>): unknown;
}

const axios = require('axios') as AxiosLike;
const outputFactory = require('nightscout-connect/lib/outputs/nightscout.js') as (config: { url: string; apiSecret: string }, http: AxiosLike) => NightscoutOutput;
const sourceFactory = require('nightscout-connect/lib/sources/nightscout.js') as (config: { url: string; apiSecret: string }, http: AxiosLike) => NightscoutSource;

/**
 * nightscout-connect's output pointed at `url` with `apiSecret`. `headers`
 * are added to every request it makes (a bearer token while a server takes
 * no `api-secret`); none are by default.
 */
export function nightscoutConnectOutput(url: string, apiSecret: string, headers: Record<string, string> = {}): NightscoutOutput {
  const http: AxiosLike = { create: (config) => axios.create({ ...config, headers }) };
  return outputFactory({ url, apiSecret }, http);
}

/** nightscout-connect's Nightscout source pointed at `url`. */
export function nightscoutConnectSource(url: string): NightscoutSource {
  return sourceFactory({ url, apiSecret: '' }, axios);
}
