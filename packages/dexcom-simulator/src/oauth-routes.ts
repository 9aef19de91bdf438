import { errorReply, jsonReply, pageReply, type Reply } from './http-io.ts';
import { isHttpUrl } from './simulator-options.ts';
import type { SimulatorCore } from './simulator-core.ts';

/**
 * Dexcom's OAuth 2.0 authorization-code flow, as Dexcom documents it:
 * `GET /v2/oauth2/login?client_id&redirect_uri&response_type=code&scope=offline_access&state`
 * and `POST /v2/oauth2/token` with form-encoded `client_id`, `client_secret`,
 * `grant_type` and `code` + `redirect_uri` or `refresh_token`.
 *
 * The login approves at once, for the user `login_hint` names (a simulator
 * addition; Dexcom's page asks the person) or the default user.
 */

/** The login page: a redirect back to the application with `code` and `state`, or a page saying what is wrong. */
export function login(core: SimulatorCore, query: URLSearchParams): Reply {
  const clientId = query.get('client_id');
  if (clientId !== core.settings.clientId) return pageReply(400, 'Unknown application', `client_id ${JSON.stringify(clientId)} is not registered`);
  const redirectUri = query.get('redirect_uri');
  if (redirectUri === null || !isHttpUrl(redirectUri)) {
    return pageReply(400, 'Invalid redirect_uri', 'redirect_uri must be an absolute http(s) URL');
  }
  const registered = core.settings.redirectUris;
  if (registered && !registered.includes(redirectUri)) {
    return pageReply(400, 'Invalid redirect_uri', `redirect_uri ${redirectUri} is not registered for this application`);
  }
  // The client and redirect URI are known good: from here on, OAuth sends errors back to the application.
  const state = query.get('state');
  const back = (params: Record<string, string>): Reply => {
    const location = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
    if (state !== null) location.searchParams.set('state', state);
    return { status: 302, headers: { Location: location.toString(), 'Cache-Control': 'no-store' } };
  };
  if (query.get('response_type') !== 'code') {
    return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
  }
  const scopes = (query.get('scope') ?? '').split(/\s+/);
  if (!scopes.includes('offline_access')) {
    return back({ error: 'invalid_scope', error_description: 'scope must be offline_access' });
  }
  const login = query.get('login_hint') ?? core.settings.defaultLogin;
  if (login === undefined || !core.users.get(login)) {
    return pageReply(400, 'Unknown user', login === undefined ? 'name a user with login_hint' : `there is no simulated user "${login}"`);
  }
  return back({ code: core.oauth.issueCode(login, clientId, redirectUri) });
}

/** The token endpoint: a code or a refresh token in, a new token pair out (the refresh token rotates). */
export function token(core: SimulatorCore, contentType: string | undefined, body: string): Reply {
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
    return errorReply(400, 'invalid_request', 'the token request must be application/x-www-form-urlencoded', noStore);
  }
  const form = new URLSearchParams(body);
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  if (clientId !== core.settings.clientId || clientSecret !== core.settings.clientSecret) {
    return errorReply(401, 'invalid_client', 'client_id and client_secret must be those of a registered application', noStore);
  }
  const grantType = form.get('grant_type');
  let result;
  if (grantType === 'authorization_code') {
    const code = form.get('code');
    if (!code) return errorReply(400, 'invalid_request', 'code is required', noStore);
    result = core.oauth.exchangeCode(code, clientId, form.get('redirect_uri') ?? undefined);
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return errorReply(400, 'invalid_request', 'refresh_token is required', noStore);
    result = core.oauth.refresh(refreshToken, clientId);
  } else if (grantType === null) {
    return errorReply(400, 'invalid_request', 'grant_type is required', noStore);
  } else {
    return errorReply(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token', noStore);
  }
  if ('error' in result) return errorReply(result.status, result.error, result.error_description, noStore);
  return jsonReply(200, result, noStore);
}

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
