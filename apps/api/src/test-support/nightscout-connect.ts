/**
 * nightscout-connect (npm, AGPL-3.0-or-later; a test-only devDependency,
 * never bundled or shipped) driven as a library: its own Nightscout output
 * (`lib/outputs/nightscout.js`, what its `forever` sidecar uploads through)
 * and its own Nightscout source (`lib/sources/nightscout.js`, what it reads a
 * Nightscout with), each given the real axios it is written for. Only the
 * CommonJS modules' shapes are typed here; their code runs unchanged.
 */

import type { ApiScope } from '@vitals/models';
import { AccessTokenRepository } from '@vitals/repositories';
import type { Container } from 'inversify';
import { createHash } from 'node:crypto';

export type Entry = Record<string, unknown>;

/** The output: uploads a batch with `API-SECRET: sha1(apiSecret)`; `gap_for` reads the newest entry for its bookmark. */
export interface NightscoutOutput {
  (batch: { entries: Entry[]; treatments: Entry[] }): Promise<{ entries?: Date } | null>;
  gap_for(): Promise<{ entries?: Date }>;
}

/** A session of the source: the JWT it reads with, how long it lasts (ms), and the exchange's whole answer. */
export interface NightscoutSession {
  bearer?: string;
  ttl?: number;
  info?: Record<string, unknown>;
}

/**
 * The source's steps its state machine runs: sign in (the `?token=` of its
 * URL, exchanged at `/api/v2/authorization/request/<token>` for a JWT), read
 * the entries after the bookmark, then wrap them as a batch.
 */
export interface NightscoutSource {
  authFromCredentials(): Promise<unknown>;
  sessionFromAuth(auth: unknown): Promise<NightscoutSession>;
  dataFromSesssion(session: NightscoutSession, lastKnown: { entries?: Date } | null): Promise<Entry[]>;
  transformGlucose(data: Entry[]): { entries: Entry[] };
}

/** What both factories are handed: axios, or an object with its `create`. */
export interface AxiosLike {
  create(config: Record<string, unknown>): unknown;
}

const axios = require('axios') as AxiosLike;
const outputFactory = require('nightscout-connect/lib/outputs/nightscout.js') as (config: { url: string; apiSecret: string }, http: AxiosLike) => NightscoutOutput;
const sourceFactory = require('nightscout-connect/lib/sources/nightscout.js') as (config: { url: string; apiSecret: string }, http: AxiosLike) => NightscoutSource;

/** nightscout-connect's output pointed at `url` with `apiSecret` (it sends its SHA-1 as `API-SECRET`). */
export function nightscoutConnectOutput(url: string, apiSecret: string): NightscoutOutput {
  return outputFactory({ url, apiSecret }, axios);
}

/** nightscout-connect's Nightscout source pointed at `url` (a person's Nightscout URL, `?token=` included when they give one). */
export function nightscoutConnectSource(url: string): NightscoutSource {
  return sourceFactory({ url, apiSecret: '' }, axios);
}

/**
 * The source's own sign-in, as its state machine runs it: `authFromCredentials`
 * (the URL's `?token=`), then `sessionFromAuth` (the exchange). nightscout-connect
 * 0.0.12's `sessionFromAuth` passes `{ headers }` from a variable it never
 * declares (upstream main too), so in Node it throws `ReferenceError: headers
 * is not defined` before sending anything, against any server. A global
 * `headers` of no headers lets its code run unchanged for the length of the
 * call; the test that pins the upstream bug calls it without.
 */
export async function signInAsNightscoutConnect(source: NightscoutSource): Promise<NightscoutSession> {
  const auth = await source.authFromCredentials();
  const global = globalThis as { headers?: unknown };
  global.headers = {};
  try {
    return await source.sessionFromAuth(auth);
  } finally {
    delete global.headers;
  }
}

/** A personal access token as a Nightscout client holds it: its text, and the SHA-1 it sends as `api-secret`. */
export interface NightscoutSecret {
  token: string;
  sha1: string;
  token_id: string;
}

/** A personal access token for `userId`, made in the test API's own store (as `POST …/access-tokens` makes one). */
export async function nightscoutSecret(container: Container, userId: string, scopes: readonly ApiScope[] = ['readings:read', 'readings:write']): Promise<NightscoutSecret> {
  const { token, view } = await container.get(AccessTokenRepository).create(userId, { name: 'nightscout client', scopes: [...scopes] });
  return { token, sha1: createHash('sha1').update(token).digest('hex'), token_id: view.token_id };
}
