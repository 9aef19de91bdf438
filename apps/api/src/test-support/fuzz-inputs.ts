import fc from 'fast-check';
import type { Route } from '../routes/route.ts';

/** Runs per property: one request a run, keeps each fuzz spec well inside 40 s. */
export const RUNS = 200;
export const USER = 'fuzzer';

export type Json = Record<string, unknown>;

export interface RawResponse {
  status: number;
  contentType: string | undefined;
  requestId: string | undefined;
  text: string;
}

/** Valid path values by parameter name: with the routes' example bodies, the base every fuzzed request mutates. */
export const VALID_PATH_VALUES: Readonly<Record<string, string>> = {
  user_id: USER,
  timestamp: '2026-01-05T08:00:00.000Z',
  provider: 'dexcom',
  job_id: '00000000-0000-4000-8000-000000000000',
  token_id: '00000000-0000-7000-8000-000000000000',
  date: '2026-01-05',
  time: '0800',
  last_modified: '0',
  // Well formed and never issued: the exchange answers it 401.
  access_token: `vat_${'A'.repeat(43)}`,
};

/**
 * A valid body for `route`: the `example` its declaration carries (the
 * compiler refuses a route with a body and no example), or undefined for a
 * route without a body. A route that got past the compiler without one fails
 * here, naming it.
 */
export function validBody(route: Route): Json | undefined {
  if (route.body === undefined) return undefined;
  if (route.example === undefined) throw new Error(`${route.operationId} takes a body but declares no example: give its defineRoute one`);
  return route.example as Json;
}

export function pathWith(route: Route, values: Readonly<Record<string, string>>): string {
  return route.path.replace(/\{([a-z_]+)\}/g, (_match, name: string) => {
    const value = values[name] ?? VALID_PATH_VALUES[name];
    if (value === undefined) throw new Error(`No valid value for {${name}} of ${route.operationId}: add one to VALID_PATH_VALUES`);
    return values[name] ?? encodeURIComponent(value);
  });
}

/** Percent-encodes the UTF-8 bytes of `text` except the ASCII characters `keep` matches (lone surrogates become U+FFFD). */
export function percentEncode(text: string, keep: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
export const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Leaves `%`, `/`, `.` and the sub-delimiters raw: malformed escapes, dot segments and extra segments reach the server. */
export const LOOSE_PATH = /[A-Za-z0-9\-._~!$&'()*+,;=:@%/]/;
/** In a query: `&`, `=`, `+` and `%` raw, so keys and values split and decode in unexpected ways. */
export const LOOSE_QUERY = /[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]/;

export const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

export const weirdText = fc.constantFrom(
  '',
  ' ',
  '.',
  '..',
  '../..',
  '%',
  '%%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%00',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '😀',
  '\u202e',
  'ǅ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '${jndi:x}',
  "' OR 1=1 --",
  '<script>',
  'a'.repeat(300),
);
export const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  weirdText,
);
export const instantish = fc.oneof(
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2026-01-05T24:00:00.000Z',
    '2026-01-05T08:00:00Z',
    '2026-01-05T08:00:00+14:00',
    '2026-01-05T08:00:00-12:00',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '2026-01-05',
    '0800',
  ),
);
const weirdScalar = fc.oneof(
  anyText,
  instantish,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(0, -1, 19, 20, 39, 401, 600, 601, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 1e-9, 0.1 + 0.2),
);
const anyJsonish = fc.oneof(weirdScalar, fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 3 }));

export const json = (body: unknown) => Buffer.from(JSON.stringify(body), 'utf8');

/** The start of a long text and its length: enough to recognise a counterexample in a failure message. */
export function excerpt(text: string): string {
  return text.length <= 300 ? text : `${text.slice(0, 300)}… (${text.length} characters)`;
}

/** Every path (list of keys) to a node of `value`, the root included. */
function nodePaths(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]];
  return [[...prefix], ...Object.entries(value).flatMap(([key, inner]) => nodePaths(inner, [...prefix, key]))];
}

type Mutation = { op: 'delete' } | { op: 'set'; value: unknown } | { op: 'add'; key: string; value: unknown };

function applyMutation(root: unknown, path: readonly string[], mutation: Mutation): unknown {
  if (path.length === 0) {
    if (mutation.op === 'set') return mutation.value;
    if (mutation.op === 'add' && typeof root === 'object' && root !== null) return { ...root, [mutation.key]: mutation.value };
    return root;
  }
  const copy = structuredClone(root) as Json;
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = typeof parent === 'object' && parent !== null ? (parent as Json)[key] : undefined;
  // An earlier mutation may have removed or replaced this node's parent: then there is nothing to change.
  if (typeof parent !== 'object' || parent === null) return copy;
  return mutateAt(copy, parent as Json, path[path.length - 1] as string, mutation);
}

function mutateAt(copy: Json, parent: Json, last: string, mutation: Mutation): Json {
  if (mutation.op === 'delete') delete parent[last];
  else if (mutation.op === 'set') parent[last] = mutation.value;
  else if (typeof parent[last] === 'object' && parent[last] !== null) (parent[last] as Json)[mutation.key] = mutation.value;
  else parent[mutation.key] = mutation.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ op: 'delete' as const }),
  fc.record({ op: fc.constant('set' as const), value: anyJsonish }),
  fc.record({ op: fc.constant('set' as const), value: fc.constantFrom('x'.repeat(450_000), 'é'.repeat(220_000)) }),
  fc.record({ op: fc.constant('add' as const), key: anyText, value: anyJsonish }),
);

/** `base` with one to three fields deleted, replaced or added (nested ones too). */
function nearValid(base: Json): fc.Arbitrary<unknown> {
  const paths = nodePaths(base);
  return fc
    .array(fc.tuple(fc.constantFrom(...paths), mutation), { minLength: 1, maxLength: 3 })
    .map((mutations) => mutations.reduce<unknown>((body, [path, change]) => applyMutation(body, path, change), base));
}

/** A body near `base`: mutated, or an array of mutated and valid ones (for routes taking arrays), or a valid one. */
export function nearValidBody(base: Json): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: nearValid(base), weight: 6 },
    { arbitrary: fc.array(fc.oneof(nearValid(base), fc.constant(base)), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.constant(base), weight: 1 },
  );
}
