import { DYNAMODB_CORE_TOKENS, VitalsError } from '@vitals/dynamodb-core';
import { DexcomClient } from '@vitals/dexcom-client';
import { ConnectionStatusViewSchema, toConnectionStatusView } from '@vitals/models';
import { ConnectionService } from '@vitals/repositories';
import type { Container } from 'inversify';
import { z } from 'zod';
import { AuthorizationStates, MAX_STATE_LENGTH, type StateRejection } from '../connections/authorization-state.ts';
import { connectedPage } from '../connections/connected-page.ts';
import { deniedAtDexcom, exchangeProblem } from '../connections/dexcom-failures.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { UserPathSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const PROVIDER = 'dexcom';
const DAY_MS = 86_400_000;
const AUTHORIZE_PATH = '/v1/users/{user_id}/connections/dexcom/authorize';

const AuthorizationSchema = z.strictObject({
  authorization_url: z.url().describe("Dexcom's login page: open it in the person's browser; it comes back to the callback"),
});

/**
 * What Dexcom's redirect carries: `code` and `state` when the person allowed
 * access, `error` (and perhaps `error_description`) when not. Not strict:
 * a redirect from another party may add parameters (RFC 9207's `iss`,
 * `session_state`), which are passed over rather than refused.
 */
const CallbackQuerySchema = z.object({
  code: z.string().min(1).max(4_096).optional().describe('The authorization code Dexcom issued'),
  state: z.string().min(1).max(MAX_STATE_LENGTH).optional().describe('The state the authorize route put into the login URL'),
  error: z.string().min(1).max(256).optional().describe("Dexcom's OAuth error, e.g. `access_denied` when the person declined"),
  error_description: z.string().max(2_048).optional().describe('Not shown: Dexcom text is never repeated'),
});

const NOT_CONFIGURED = 'Dexcom is not configured on this deployment (DEXCOM_CLIENT_ID, DEXCOM_CLIENT_SECRET, DEXCOM_BASE_URL, DEXCOM_REDIRECT_URI)';
const NOT_CONNECTED = `Dexcom is not connected for this user; connect with GET ${AUTHORIZE_PATH} and open its authorization_url in a browser`;

const STATE_PROBLEMS: Record<StateRejection | 'used', string> = {
  malformed: 'The state is not one this API issues; start connecting again',
  signature: 'The state was not signed by this API (altered, or from elsewhere); start connecting again',
  expired: 'The state has expired: connecting must finish within 10 minutes; start connecting again',
  used: 'The state was already used, or a newer authorization replaced it; start connecting again',
};

const stateProblem = (reason: StateRejection | 'used') => new ApiProblem('authorizationState', STATE_PROBLEMS[reason]);

/**
 * `/v1/…/connections/dexcom`: connect a user's Dexcom account (the OAuth
 * authorization-code flow), see how its sync goes, disconnect it. See
 * docs/DEXCOM-SYNC.md for what connecting schedules.
 */
export function dexcomConnectionRoutes(container: Container): Route[] {
  const connections = container.get(ConnectionService);
  const states = container.get(AuthorizationStates);
  const log = container.get(DYNAMODB_CORE_TOKENS.Logger).child({ component: 'dexcom-connect' });
  /** Looked up per request, so a test may rebind it. */
  const dexcom = (): DexcomClient => {
    if (!container.isBound(DexcomClient)) throw new ApiProblem('providerNotConfigured', NOT_CONFIGURED);
    return container.get(DexcomClient);
  };
  return [
    defineRoute({
      operationId: 'authorizeDexcom',
      method: 'get',
      path: AUTHORIZE_PATH,
      tag: 'connections',
      summary: "Dexcom's login URL, to connect the user's Dexcom account",
      description:
        "Open `authorization_url` in the person's browser. Its `state` is signed, bound to this user, valid for 10 minutes and good for one " +
        'callback; asking again replaces it. After the login, Dexcom sends the browser to `GET /v1/connections/dexcom/callback`.',
      scope: 'tokens:write',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 200: { description: 'The login URL', schema: AuthorizationSchema, headers: { 'Cache-Control': '`no-store`' } } },
      problems: { 503: 'Dexcom is not configured on this deployment, or DynamoDB is unavailable' },
      handle: async ({ params }) => {
        const client = dexcom();
        const issued = states.issue(params.user_id);
        await connections.beginAuthorization(params.user_id, PROVIDER, issued.nonce, issued.expires_at);
        return { status: 200, body: { authorization_url: client.authorizationUrl(issued.state) }, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      operationId: 'dexcomCallback',
      method: 'get',
      path: '/v1/connections/dexcom/callback',
      tag: 'connections',
      summary: "Where Dexcom's login sends the browser back: exchanges the code, stores the tokens, schedules the backfill",
      description:
        "Dexcom redirects the person's browser here (`DEXCOM_REDIRECT_URI`), so it takes no bearer token: the signed `state` says whose " +
        'connection it is. The state is consumed before the code is exchanged, so it works once; the tokens are stored encrypted, the ' +
        'connection becomes `connected` and a sync of the last 90 days is scheduled to run at once. Answers a small HTML page; every ' +
        'problem is problem+json, and nothing is stored then.',
      public: true,
      subject: 'handler',
      query: CallbackQuerySchema,
      responses: {
        200: { description: 'Connected: a page saying so', contentType: 'text/html', headers: { 'Cache-Control': '`no-store`' } },
      },
      problems: {
        400: 'Declined at Dexcom, no code or state, or a state that is invalid, expired or used; nothing was stored',
        502: 'Dexcom refused or garbled the code exchange',
        503: 'Dexcom is not configured or did not answer, or DynamoDB is unavailable',
      },
      handle: async ({ query }) => {
        const client = dexcom();
        if (query.error !== undefined) throw deniedAtDexcom(query.error);
        const missing = (['code', 'state'] as const).filter((name) => query[name] === undefined);
        if (missing.length > 0) {
          throw new ApiProblem(
            'validation',
            undefined,
            missing.map((name) => ({ pointer: `/query/${name}`, message: 'is required: Dexcom sends it back with the login' })),
          );
        }
        const checked = states.check(query.state as string);
        if (!checked.ok) throw stateProblem(checked.reason);
        const { user_id: userId, nonce } = checked.payload;
        try {
          await connections.consumeAuthorization(userId, PROVIDER, nonce);
        } catch (error) {
          throw VitalsError.is(error, 'repository.conflict') ? stateProblem('used') : error;
        }
        let tokens;
        try {
          tokens = await client.exchangeCode(query.code as string);
        } catch (error) {
          throw exchangeProblem(error, log);
        }
        const { expires_in: _expiresIn, ...tokenInput } = tokens;
        const { job } = await connections.connect(userId, PROVIDER, tokenInput);
        const backfillDays = (Date.parse(job.window_end) - Date.parse(job.window_start)) / DAY_MS;
        return { status: 200, body: connectedPage({ backfillDays }), headers: { 'Cache-Control': 'no-store' }, subject: userId };
      },
    }),
    defineRoute({
      operationId: 'getDexcomConnection',
      method: 'get',
      path: '/v1/users/{user_id}/connections/dexcom',
      tag: 'connections',
      summary: "The user's Dexcom connection: since when, the last sync, the newest reading, the next run, the last error",
      description:
        '`status` is `pending` while an authorization is started and not finished, `connected`, or `reauthorization_required` when Dexcom ' +
        'refused the stored refresh token (connect again). A user who never connected, or disconnected, is a 404.',
      scope: 'sync:read',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 200: { description: 'The connection', schema: ConnectionStatusViewSchema } },
      handle: async ({ params }) => {
        const connection = await connections.get(params.user_id, PROVIDER);
        if (connection === undefined) throw new ApiProblem('notFound', NOT_CONNECTED);
        return { status: 200, body: toConnectionStatusView(connection) };
      },
    }),
    defineRoute({
      operationId: 'disconnectDexcom',
      method: 'delete',
      path: '/v1/users/{user_id}/connections/dexcom',
      tag: 'connections',
      summary: 'Disconnect Dexcom: the tokens are deleted and pending syncs cancelled; the readings stay',
      scope: 'tokens:write',
      subject: 'path-user',
      params: UserPathSchema,
      responses: { 204: { description: 'Disconnected' } },
      handle: async ({ params }) => {
        const disconnected = await connections.disconnect(params.user_id, PROVIDER);
        if (disconnected === undefined) throw new ApiProblem('notFound', NOT_CONNECTED);
        return { status: 204 };
      },
    }),
  ];
}
