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
/** What every route declares, whether or not it takes a body. */
interface RouteFields<P, Q, B> {
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
  /** Request headers the route reads, documented as parameters. */
  requestHeaders?: Readonly<Record<string, string>>;
  responses: Readonly<Partial<Record<200 | 201 | 204, SuccessResponse>>>;
  handle(input: RouteInput<P, Q, B>): Promise<Reply>;
}

/** What a body schema `S` parses into: the handler's `body` (undefined without a schema). */
type BodyOf<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * A route that takes a body declares a valid `example` of it, typed as the
 * schema's input: a route with a body and no example, or with an example the
 * schema's type refuses, does not compile. The example is the request body's
 * `example` in the OpenAPI document and the valid body the tests that sweep
 * every route send (and mutate). A route without a body declares none.
 */
type ExampleOf<S> = [S] extends [z.ZodType] ? { example: z.input<S> } : { example?: undefined };

/**
 * One route, declared once: Express mounts it (auth, validation, handler)
 * and the OpenAPI document is generated from the same object.
 */
export type RouteSpec<P, Q, S extends z.ZodType | undefined = undefined> = RouteFields<P, Q, BodyOf<S>> & { body?: S } & ExampleOf<S>;

/** A route with its types erased, as the app, the document generator and the tests hold it. */
export interface Route extends Omit<RouteFields<unknown, unknown, unknown>, 'handle'> {
  body?: z.ZodType;
  /** A valid body (the schema's input); present whenever `body` is. */
  example?: unknown;
  handle(input: RouteInput<unknown, unknown, unknown>): Promise<Reply>;
}

/** Declares a route; the generics tie the handler's input to the schemas, and the example to the body's input. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, S extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, S>,
): Route {
  return spec as unknown as Route;
}
