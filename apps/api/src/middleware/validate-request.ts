import { z } from 'zod';
import type { Route } from '../routes/route.ts';
import { pointerOf, type RequestPart } from './pointer.ts';
import { ApiProblem, type ValidationProblem } from './problem-details.ts';

type Issue = z.core.$ZodIssue;

/** A route without query parameters rejects any, as unknown body fields are. */
const NO_QUERY = z.strictObject({});

/**
 * Of a union's branches, the one the input was meant for: the branch that got
 * past the type check at the union's own path (an array body fails the
 * single-object branch there, and the other way round).
 */
function intendedBranch(issue: z.core.$ZodIssueInvalidUnion): readonly Issue[] | undefined {
  return issue.errors.find((branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0));
}

/** Flattens zod issues into pointer + message pairs; unknown keys become one problem each. */
export function problemsOf(part: RequestPart, issues: readonly Issue[], prefix: readonly PropertyKey[] = []): ValidationProblem[] {
  return issues.flatMap((issue): ValidationProblem[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ pointer: pointerOf(part, [...path, key]), message: 'is not a known field' }));
    }
    if (issue.code === 'invalid_union') {
      const branch = intendedBranch(issue);
      if (branch !== undefined) return problemsOf(part, branch, path);
    }
    return [{ pointer: pointerOf(part, path), message: issue.message }];
  });
}

export interface ValidatedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * Validates path parameters, query string and body against the route's
 * schemas; every problem of all three in one 400, each with its pointer.
 */
export function validateRequest(
  route: Route,
  request: { params: unknown; query: unknown; body: unknown; hasJsonBody: boolean },
): ValidatedRequest {
  const problems: ValidationProblem[] = [];
  const check = (part: RequestPart, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (schema === undefined) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...problemsOf(part, result.error.issues));
    return undefined;
  };
  const params = check('path', route.params, request.params);
  const query = check('query', route.query ?? NO_QUERY, request.query);
  let body: unknown;
  if (route.body !== undefined && !request.hasJsonBody) {
    problems.push({ pointer: '/body', message: 'a JSON body is required (Content-Type: application/json)' });
  } else {
    body = check('body', route.body, request.body);
  }
  if (problems.length > 0) throw new ApiProblem('validation', undefined, problems);
  return { params, query, body };
}
