import { inspect } from 'node:util';
import { DexcomClient } from './dexcom-client.ts';
import { parseDexcomConfig } from './dexcom-config.ts';
import { DexcomError } from './dexcom-error.ts';
import { CannedDexcomServer, type CannedReply } from './test-support/canned-dexcom-server.ts';
import { SECRETS, clientConfig } from './test-support/dexcom-fixtures.ts';

const EGVS = '/v3/users/self/egvs';
const TOKEN = '/v2/oauth2/token';
const WINDOW = { start: '2026-04-30T00:00:00Z', end: '2026-05-01T00:00:00Z' };
const ALL_SECRETS = Object.values(SECRETS);

/** Every secret, and each as a form or URL would encode it. */
const SECRET_FORMS = [...new Set(ALL_SECRETS.flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]))];

/** Text in which Dexcom repeats every secret of the call, as a careless server might. */
const ECHO = `echo ${SECRET_FORMS.join(' ')}`;

/** Every way an error or the client could be shown, logged or serialised. */
function renderings(value: object): string[] {
  const shown = [
    String(value),
    JSON.stringify(value),
    inspect(value),
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    inspect(value, { showHidden: true, depth: Infinity, customInspect: false, getters: true }),
    ...Object.getOwnPropertyNames(value).map((name) => inspect((value as Record<string, unknown>)[name], { depth: Infinity })),
  ];
  if (value instanceof Error) shown.push(value.message, String(value.stack), inspect(value.cause, { depth: Infinity }));
  return shown;
}

function leaksIn(value: object): string[] {
  return renderings(value).flatMap((text) => SECRET_FORMS.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${text.slice(0, 200)}`));
}

async function rejectionOf(promise: Promise<unknown>): Promise<DexcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

describe('DexcomClient never shows a secret', () => {
  let server: CannedDexcomServer;
  let client: DexcomClient;
  beforeAll(async () => {
    server = await CannedDexcomServer.start();
    client = new DexcomClient(clientConfig(server.url, { timeoutMs: 1_000 }));
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
  });

  const failures: [name: string, method: 'GET' | 'POST', path: string, reply: CannedReply, call: (client: DexcomClient) => Promise<unknown>][] = [
    ['an invalid_grant for a code', 'POST', TOKEN, { status: 400, json: { error: 'invalid_grant', error_description: ECHO } }, (c) => c.exchangeCode(SECRETS.code)],
    ['an invalid_grant for a refresh token', 'POST', TOKEN, { status: 400, json: { error: 'invalid_grant', error_description: ECHO } }, (c) => c.refresh(SECRETS.refreshToken)],
    ['an error code that repeats the token', 'POST', TOKEN, { status: 400, json: { error: `invalid_grant ${SECRETS.refreshToken}` } }, (c) => c.refresh(SECRETS.refreshToken)],
    ['an invalid_client', 'POST', TOKEN, { status: 401, json: { error: 'invalid_client', error_description: ECHO } }, (c) => c.refresh(SECRETS.refreshToken)],
    ['a token answer of another shape', 'POST', TOKEN, { json: { access_token: SECRETS.newAccessToken, refresh_token: 7, token_type: SECRETS.newRefreshToken } }, (c) => c.refresh(SECRETS.refreshToken)],
    ['a rate limit on the token endpoint', 'POST', TOKEN, { status: 429, headers: { 'retry-after': '5' }, text: ECHO }, (c) => c.refresh(SECRETS.refreshToken)],
    ['a 500 on the token endpoint', 'POST', TOKEN, { status: 500, json: { error: 'server_error', error_description: ECHO } }, (c) => c.exchangeCode(SECRETS.code)],
    ['a slow token endpoint', 'POST', TOKEN, { delayMs: 3_000, json: {} }, (c) => c.refresh(SECRETS.refreshToken)],
    ['an expired access token', 'GET', EGVS, { status: 401, json: { fault: { faultstring: ECHO, detail: { errorcode: 'keymanagement.service.access_token_expired' } } } }, (c) => c.egvs(SECRETS.accessToken, WINDOW)],
    ['a 403', 'GET', EGVS, { status: 403, json: { error: 'forbidden', error_description: ECHO } }, (c) => c.egvs(SECRETS.accessToken, WINDOW)],
    ['a 400 on egvs', 'GET', EGVS, { status: 400, json: { error: 'bad', error_description: ECHO } }, (c) => c.egvs(SECRETS.accessToken, WINDOW)],
    ['an egvs body that is not JSON', 'GET', EGVS, { text: ECHO }, (c) => c.egvs(SECRETS.accessToken, WINDOW)],
    ['a dataRange body of another shape', 'GET', '/v3/users/self/dataRange', { json: { userId: SECRETS.accessToken } }, (c) => c.dataRange(SECRETS.accessToken)],
    ['a broken-off body', 'GET', EGVS, { json: { echo: ECHO }, breakOff: true }, (c) => c.egvs(SECRETS.accessToken, WINDOW)],
  ];

  it.each(failures)('when Dexcom answers %s, the error shows no token, code or client secret', async (_name, method, path, reply, call) => {
    server.on(method, path, reply);
    const error = await rejectionOf(call(client));
    expect(server.requests).toHaveLength(1);
    expect(leaksIn(error)).toEqual([]);
  });

  it('when Dexcom repeats secrets in an error description, the message keeps the description with each secret replaced', async () => {
    server.on('POST', TOKEN, { status: 400, json: { error: 'invalid_grant', error_description: `token ${SECRETS.refreshToken} spent` } });
    expect((await rejectionOf(client.refresh(SECRETS.refreshToken))).message).toMatch(/: token \[redacted\] spent$/);
  });

  it('when a call is refused before it is made, or nothing answers, the error shows no secret', async () => {
    const refused = await rejectionOf(client.egvs(SECRETS.accessToken, { start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z' }));
    const gone = await CannedDexcomServer.start();
    await gone.stop();
    const unreachable = await rejectionOf(new DexcomClient(clientConfig(gone.url)).refresh(SECRETS.refreshToken));
    const leaky = new DexcomClient(clientConfig(server.url), {
      fetch: () => Promise.reject(new TypeError(ECHO, { cause: Object.assign(new Error(ECHO), { code: 'ECONNRESET' }) })),
    });
    const injected = await rejectionOf(leaky.exchangeCode(SECRETS.code));
    expect([refused.code, unreachable.code, injected.code]).toEqual(['dexcom.invalidArgument', 'dexcom.unavailable', 'dexcom.unavailable']);
    expect([...leaksIn(refused), ...leaksIn(unreachable), ...leaksIn(injected)]).toEqual([]);
  });

  it('when a config puts the secret where it does not belong, the config error does not repeat it', () => {
    let error: unknown;
    try {
      parseDexcomConfig({ ...clientConfig(SECRETS.clientSecret), clientId: 7, redirectUri: SECRETS.clientSecret });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DexcomError);
    expect(leaksIn(error as DexcomError)).toEqual([]);
  });

  it('when the client itself is shown, logged or serialised, it shows its base URL and client id but never its secret', async () => {
    expect(leaksIn(client)).toEqual([]);
    expect(inspect(client)).toBe(
      `DexcomClient { baseUrl: '${server.url}', clientId: 'vitals-test-client', redirectUri: 'http://127.0.0.1:3000/v1/connections/dexcom/callback', timeoutMs: 1000 }`,
    );
    expect(String(client)).toBe(`DexcomClient(${server.url}, client vitals-test-client)`);
  });
});
