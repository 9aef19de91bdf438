import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page } from '@vitals/repositories';
import { InstantInputSchema, UserIdSchema } from '@vitals/models';
import { z } from 'zod';

/**
 * A whole number from the query string, `min`..`max`. Digits only: a plain
 * coercion would read `?limit=` as 0 and `?limit=1e2` as 100.
 */
export function integerParam(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** `limit` of every list: 1..1000, default 100. */
export const LimitSchema = integerParam(1, MAX_PAGE_LIMIT)
  .default(DEFAULT_PAGE_LIMIT)
  .describe(`Page size, 1..${MAX_PAGE_LIMIT}, default ${DEFAULT_PAGE_LIMIT}`);

export const CursorSchema = z
  .string()
  .min(1)
  .max(4096)
  .describe('`next_cursor` of the previous page of the same query');

export const OrderSchema = z.enum(['asc', 'desc']).default('asc').describe('Sort order');

/** The paging part of a list's query string. */
export const pageQuery = { limit: LimitSchema, cursor: CursorSchema.optional() };

/**
 * Any RFC 3339 date-time with an offset (`2026-05-01T08:00:00+02:00`),
 * normalised to the stored form `YYYY-MM-DDTHH:mm:ss.sssZ`: the same rule
 * as instants in bodies.
 */
export const InstantParamSchema = InstantInputSchema;

export const UserPathSchema = z.strictObject({ user_id: UserIdSchema });

/** `{ items, next_cursor }`, the shape of every list response. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  });
}

/** A repository page as the API returns it: skipped invalid items are logged by the repository, not shown. */
export function pageBody<T>(page: Page<T>): { items: T[]; next_cursor: string | null } {
  return { items: page.items, next_cursor: page.next_cursor };
}
