import { VitalsError } from '@vitals/dynamodb-core';
import { ProviderSchema, UserTokenInputSchema, UserTokenMetadataSchema, type UserTokenMetadata } from '@vitals/models';
import { UserTokenRepository, type UserTokenExpectedVersion } from '@vitals/repositories';
import type { Container } from 'inversify';
import { ApiProblem } from '../middleware/problem-details.ts';
import { UserPathSchema } from './common.schemas.ts';
import { defineRoute, type Route } from './route.ts';

const TokenPathSchema = UserPathSchema.extend({ provider: ProviderSchema });

const CONDITIONAL_HEADERS = {
  'If-Match': 'The `version` (as an ETag, e.g. `"3"`) the change expects; another stored version (or none) answers 412 with the current `ETag`',
  'If-None-Match': '`*` to store only when no tokens are stored for this provider yet (412 with the current `ETag` otherwise)',
};

const etagOf = (token: Pick<UserTokenMetadata, 'version'>) => `"${token.version}"`;

/**
 * Runs a conditional write. When the client named a precondition and the
 * stored version did not match it, that is RFC 9110's 412, not a 409: the
 * client's own condition failed, and the current ETag spares it a re-read.
 * Without a header a lost race stays a 409 conflict.
 */
async function preconditioned<T>(expected: UserTokenExpectedVersion | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (expected === undefined || !VitalsError.is(error, 'repository.conflict')) throw error;
    const current = error.details.actual_version;
    throw new ApiProblem(
      'preconditionFailed',
      current === undefined
        ? 'No tokens are stored for this provider, so If-Match cannot hold'
        : `The stored version is ${current}; the ETag header holds it`,
      undefined,
      current === undefined ? {} : { ETag: etagOf({ version: current }) },
    );
  }
}

/** `If-Match: "3"` → 3, `If-None-Match: *` → 'new'; none → undefined (last writer wins). */
function expectedVersion(headers: Readonly<Record<string, string | string[] | undefined>>): UserTokenExpectedVersion | undefined {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch === '*') return 'new';
    throw new ApiProblem('validation', undefined, [{ pointer: '/header/If-None-Match', message: 'only * is supported' }]);
  }
  const ifMatch = headers['if-match'];
  if (ifMatch === undefined) return undefined;
  const match = typeof ifMatch === 'string' ? /^(?:W\/)?"([1-9]\d{0,14})"$/.exec(ifMatch.trim()) : null;
  if (match === null) {
    throw new ApiProblem('validation', undefined, [
      { pointer: '/header/If-Match', message: 'must be one version as an ETag, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

/**
 * `/v1/users/{user_id}/tokens/{provider}`: OAuth tokens go in (encrypted at
 * rest) and never come out; reads return metadata only.
 */
export function tokensRoutes(container: Container): Route[] {
  const tokens = container.get(UserTokenRepository);
  return [
    defineRoute({
      operationId: 'storeTokens',
      method: 'put',
      path: '/v1/users/{user_id}/tokens/{provider}',
      tag: 'tokens',
      summary: "Store a provider's OAuth tokens",
      description: 'The tokens are encrypted (AES-256-GCM) before they are stored and are never returned or logged.',
      scope: 'tokens:write',
      subject: 'path-user',
      params: TokenPathSchema,
      body: UserTokenInputSchema,
      example: { access_token: 'access', refresh_token: 'refresh', token_type: 'Bearer', scope: 'offline_access', expires_at: 1_900_000_000 },
      requestHeaders: CONDITIONAL_HEADERS,
      responses: {
        200: { description: 'Replaced; metadata only', schema: UserTokenMetadataSchema, headers: { ETag: 'The new version' } },
        201: { description: 'Created; metadata only', schema: UserTokenMetadataSchema, headers: { ETag: 'The new version' } },
      },
      handle: async ({ params, body, headers }) => {
        const expected = expectedVersion(headers);
        const saved = await preconditioned(expected, () => tokens.save(params.user_id, params.provider, body, expected));
        return { status: saved.version === 1 ? 201 : 200, body: saved, headers: { ETag: etagOf(saved) } };
      },
    }),
    defineRoute({
      operationId: 'getTokenMetadata',
      method: 'get',
      path: '/v1/users/{user_id}/tokens/{provider}',
      tag: 'tokens',
      summary: "Metadata of a provider's stored tokens (never the tokens)",
      scope: 'tokens:write',
      subject: 'path-user',
      params: TokenPathSchema,
      responses: { 200: { description: 'Metadata only', schema: UserTokenMetadataSchema, headers: { ETag: 'The version' } } },
      handle: async ({ params }) => {
        const metadata = await tokens.getMetadata(params.user_id, params.provider);
        if (metadata === undefined) throw new ApiProblem('notFound', 'No tokens are stored for this provider');
        return { status: 200, body: metadata, headers: { ETag: etagOf(metadata) } };
      },
    }),
    defineRoute({
      operationId: 'deleteTokens',
      method: 'delete',
      path: '/v1/users/{user_id}/tokens/{provider}',
      tag: 'tokens',
      summary: "Delete a provider's stored tokens",
      scope: 'tokens:write',
      subject: 'path-user',
      params: TokenPathSchema,
      requestHeaders: { 'If-Match': CONDITIONAL_HEADERS['If-Match'] },
      responses: { 204: { description: 'Deleted' } },
      handle: async ({ params, headers }) => {
        const expected = expectedVersion(headers);
        if (expected === 'new') {
          throw new ApiProblem('validation', undefined, [
            { pointer: '/header/If-None-Match', message: 'does not apply to a delete' },
          ]);
        }
        const deleted = await preconditioned(expected, () => tokens.delete(params.user_id, params.provider, expected));
        if (deleted === undefined) throw new ApiProblem('notFound', 'No tokens are stored for this provider');
        return { status: 204 };
      },
    }),
  ];
}
