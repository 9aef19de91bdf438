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

/** What a public route's handler receives: no bearer token was read, so there is no principal. */
export interface PublicRouteInput<P, Q, B> extends Omit<RouteInput<P, Q, B>, 'principal'> {
  principal: undefined;
  /** The principal of the credentials the request carries, by the route's `credentials` forms; undefined when none are valid. */
  identify(): Promise<Principal | undefined>;
}

/** A documented success response. */
export interface SuccessResponse {
  description: string;
  /** The JSON body's schema; a `text/html` response has none. */
  schema?: z.ZodType;
  /** `application/json` unless said otherwise: a page for a browser is `text/html` (its reply's body a string). */
  contentType?: 'application/json' | 'text/html';
  headers?: Readonly<Record<string, string>>;
}

/**
 * Whose data a request touches, for the per-user check and the audit line:
 * `path-user` — the `user_id` path parameter (a non-admin token must be that
 * user); `health-log` — the one recovery log; `handler` — the handler checks
 * ownership itself (answering 404 for another user's resource) and names the
 * subject in its reply; `credentials-user` — the user the credentials
 * belong to (the Nightscout routes, whose paths name no user: a token only
 * ever reaches its own user's data, admin or not).
 */
export type Subject = 'path-user' | 'health-log' | 'handler' | 'credentials-user';

/**
 * The credential forms a route accepts: `bearer` (the default) —
 * `Authorization: Bearer`; `nightscout` — also the forms Nightscout clients
 * send (`api-secret` header, `?token=`).
 */
export type Credentials = 'bearer' | 'nightscout';

/** A route that needs a bearer token (every route but the public ones): the scope it must carry, and whose data it touches. */
export interface BearerAccess<P, Q, B> {
  public?: undefined;
  /**
   * The scope the token must carry; `null`: any valid credential, whatever
   * scopes it carries — for a route that answers only facts about the
   * credential itself (`GET /v1/me`).
   */
  scope: Scope | null;
  subject: Subject;
  handle(input: RouteInput<P, Q, B>): Promise<Reply>;
}

/**
 * A route anyone may call without a bearer token, declared with
 * `public: true`: no token is read (one sent is ignored), no scope or user
 * check runs, and the handler authenticates the request by other means —
 * the Dexcom callback, which the person's browser reaches from Dexcom's
 * login, by its signed, single-use `state`. It names the subject in its reply.
 */
export interface PublicAccess<P, Q, B> {
  public: true;
  scope?: undefined;
  subject: 'handler';
  handle(input: PublicRouteInput<P, Q, B>): Promise<Reply>;
}

/** What every route declares, whether or not it takes a body. */
interface RouteFields<P, Q> {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template: `/v1/users/{user_id}/readings`. */
  path: `/${string}`;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** How the request authenticates; default `bearer`. */
  credentials?: Credentials;
  /** Request headers the route reads, documented as parameters. */
  requestHeaders?: Readonly<Record<string, string>>;
  responses: Readonly<Partial<Record<200 | 201 | 204, SuccessResponse>>>;
  /** Problems this route answers beyond the common ones, or a more precise description of one of them (by status). */
  problems?: Readonly<Record<number, string>>;
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
export type RouteSpec<P, Q, S extends z.ZodType | undefined = undefined> = RouteFields<P, Q> &
  (BearerAccess<P, Q, BodyOf<S>> | PublicAccess<P, Q, BodyOf<S>>) & { body?: S } & ExampleOf<S>;

/** A route with its types erased, as the app, the document generator and the tests hold it. */
export type Route = RouteFields<unknown, unknown> &
  (BearerAccess<unknown, unknown, unknown> | PublicAccess<unknown, unknown, unknown>) & {
    body?: z.ZodType;
    /** A valid body (the schema's input); present whenever `body` is. */
    example?: unknown;
  };

/** A route that needs a bearer token, with its types erased. */
export type BearerRoute = Route & { public?: undefined; scope: Scope | null };

/** Declares a route; the generics tie the handler's input to the schemas, and the example to the body's input. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, S extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<P, Q, S>,
): Route {
  return spec as unknown as Route;
}
