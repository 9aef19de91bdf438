import { DexcomClient } from './dexcom-client.ts';
import { DexcomError } from './dexcom-error.ts';
import { CannedDexcomServer } from './test-support/canned-dexcom-server.ts';
import { SECRETS, clientConfig, tokenBody } from './test-support/dexcom-fixtures.ts';

const TOKEN = '/v2/oauth2/token';
const NOW = new Date('2026-05-01T10:00:00.250Z');

async function rejectionOf(promise: Promise<unknown>): Promise<DexcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DexcomError) return error;
    throw error;
  }
  throw new Error('did not reject');
}

describe('DexcomClient (OAuth) against a server on loopback', () => {
  let server: CannedDexcomServer;
  let client: DexcomClient;
  beforeAll(async () => {
    server = await CannedDexcomServer.start();
    client = new DexcomClient(clientConfig(server.url), { now: () => NOW });
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
  });

  describe('.authorizationUrl', () => {
    it("when given a state, is Dexcom's login URL with the app's client id, redirect URI, code response, offline_access and the state", () => {
      const url = new URL(client.authorizationUrl('st/ate+1'));
      expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/v2/oauth2/login`);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: 'vitals-test-client',
        redirect_uri: 'http://127.0.0.1:3000/v1/connections/dexcom/callback',
        response_type: 'code',
        scope: 'offline_access',
        state: 'st/ate+1',
      });
      expect(url.toString()).not.toContain(SECRETS.clientSecret);
    });

    it('when the state is empty, throws dexcom.invalidArgument', () => {
      expect(() => client.authorizationUrl('')).toThrow(expect.objectContaining({ code: 'dexcom.invalidArgument' }));
    });
  });

  describe('.exchangeCode', () => {
    it('when Dexcom issues tokens, posts the documented form and answers the token set with expires_at from expires_in', async () => {
      server.on('POST', TOKEN, { json: tokenBody() });
      const tokens = await client.exchangeCode(SECRETS.code);
      expect(tokens).toEqual({
        access_token: SECRETS.newAccessToken,
        refresh_token: SECRETS.newRefreshToken,
        token_type: 'Bearer',
        scope: 'offline_access',
        expires_in: 7200,
        expires_at: Math.floor(NOW.getTime() / 1000) + 7200,
      });
      const [request] = server.requests;
      expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(request?.form ?? [])).toEqual({
        client_id: 'vitals-test-client',
        client_secret: SECRETS.clientSecret,
        grant_type: 'authorization_code',
        code: SECRETS.code,
        redirect_uri: 'http://127.0.0.1:3000/v1/connections/dexcom/callback',
      });
      expect(request?.headers['authorization']).toBeUndefined();
    });

    it('when the code was already used, throws dexcom.invalidGrant with the status, endpoint and Dexcom error', async () => {
      server.on('POST', TOKEN, { status: 400, json: { error: 'invalid_grant', error_description: 'Code not valid' } });
      const error = await rejectionOf(client.exchangeCode(SECRETS.code));
      expect(error).toMatchObject({ code: 'dexcom.invalidGrant', status: 400, endpoint: 'POST /v2/oauth2/token', dexcom_error: 'invalid_grant' });
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/^Dexcom POST \/v2\/oauth2\/token answered 400 invalid_grant \(.*authorize again\): Code not valid$/);
    });

    it('when the code is empty, throws dexcom.invalidArgument and calls nothing', async () => {
      expect((await rejectionOf(client.exchangeCode(''))).code).toBe('dexcom.invalidArgument');
      expect(server.requests).toEqual([]);
    });
  });

  describe('.refresh', () => {
    it('when Dexcom issues a new token set, posts the refresh grant and answers the new refresh token', async () => {
      server.on('POST', TOKEN, { json: tokenBody({ expires_in: 3600, scope: 'offline_access egv' }) });
      const tokens = await client.refresh(SECRETS.refreshToken);
      expect(tokens).toMatchObject({ refresh_token: SECRETS.newRefreshToken, scope: 'offline_access egv', expires_at: Math.floor(NOW.getTime() / 1000) + 3600 });
      expect(Object.fromEntries(server.requests[0]?.form ?? [])).toEqual({
        client_id: 'vitals-test-client',
        client_secret: SECRETS.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: SECRETS.refreshToken,
      });
    });

    it('when the refresh token is revoked or reused, throws dexcom.invalidGrant', async () => {
      server.on('POST', TOKEN, { status: 400, json: { error: 'invalid_grant', error_description: 'Token is not active' } });
      expect(await rejectionOf(client.refresh(SECRETS.refreshToken))).toMatchObject({ code: 'dexcom.invalidGrant', status: 400 });
    });

    it.each([
      ['401 without a body', { status: 401, text: '' }],
      ['400 invalid_client', { status: 400, json: { error: 'invalid_client' } }],
    ])("when Dexcom answers %s, throws dexcom.invalidClient: the app's credentials, not the user's grant", async (_name, reply) => {
      server.on('POST', TOKEN, reply);
      expect((await rejectionOf(client.refresh(SECRETS.refreshToken))).code).toBe('dexcom.invalidClient');
    });

    it('when Dexcom answers 400 with another OAuth error, throws dexcom.badRequest with that code', async () => {
      server.on('POST', TOKEN, { status: 400, json: { error: 'unsupported_grant_type' } });
      expect(await rejectionOf(client.refresh(SECRETS.refreshToken))).toMatchObject({ code: 'dexcom.badRequest', dexcom_error: 'unsupported_grant_type' });
    });

    it.each([
      ['no refresh token', tokenBody({ refresh_token: undefined })],
      ['a negative lifetime', tokenBody({ expires_in: -1 })],
      ['a JSON array', []],
    ])('when the 200 answer has %s, throws dexcom.badResponse naming the field, never its value', async (_name, json) => {
      server.on('POST', TOKEN, { json });
      const error = await rejectionOf(client.refresh(SECRETS.refreshToken));
      expect(error).toMatchObject({ code: 'dexcom.badResponse', status: 200, endpoint: 'POST /v2/oauth2/token' });
      expect(error.message).not.toContain(SECRETS.newAccessToken);
    });
  });
});
