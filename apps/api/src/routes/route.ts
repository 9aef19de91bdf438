import type { z } from 'zod';
import type { Principal, Scope } from '../auth/scopes.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** What a handler answers: a status and a JSON body (none for 204), plus headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** For `subject: 'handler'` routes: whose data this was, for the audit line. */
  subject?: string;
}

/** The validated request a handler receives. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A documented success response. */
export interface SuccessResponse {
  description: string;
  schema?: z.ZodType;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Whose data a request touches, for the per-user check and the audit line:
 * `path-user` — the `user_id` path parameter (a non-admin token must be that
 * user); `health-log` — the one recovery log; `handler` — the handler checks
 * ownership itself (answering 404 for another user's resource) and names the
 * subject in its reply.
 */
export type Subject = 'path-user' | 'health-log' | 'handler';
/**
 * One route, declared once: Express mounts it (auth, validation, handler)
 * and the OpenAPI document is generated from the same object.
 */
export interface RouteSpec<P, Q, B> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template: `/v1/users/{user_id}/readings`. */
  path: `/${string}`;
  tag: string;
  summary: string;
  description?: string;
  /** The scope the token must carry. */
  scope: Scope;
  subject: Subject;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Request headers the route reads, documented as parameters. */
  requestHeaders?: Readonly<Record<string, string>>;
  responses: Readonly<Partial<Record<200 | 201 | 204, SuccessResponse>>>;
  handle(input: RouteInput<P, Q, B>): Promise<Reply>;
}

/** A route with its types erased, as the app and the document generator hold it. */
export interface Route extends Omit<RouteSpec<unknown, unknown, unknown>, 'handle'> {
  handle(input: RouteInput<unknown, unknown, unknown>): Promise<Reply>;
}

/** Declares a route; the generics tie the handler's input to the schemas. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  spec: RouteSpec<P, Q, B>,
): Route {
  return spec as unknown as Route;
}
