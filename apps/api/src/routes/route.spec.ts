import { z } from 'zod';
import type { Reply } from './route.ts';
import { defineRoute } from './route.ts';

const ThingSchema = z.strictObject({ name: z.string().min(1), count: z.number().int().default(1) });
const created = async (): Promise<Reply> => ({ status: 201 });

describe('route', () => {
  describe('.defineRoute', () => {
    it('when a route takes a body, it carries an example typed as the body’s input, which the body schema accepts', () => {
      const route = defineRoute({
        operationId: 'createThing',
        method: 'post',
        path: '/v1/things',
        tag: 'things',
        summary: 'Create a thing',
        scope: 'readings:write',
        subject: 'handler',
        body: ThingSchema,
        example: { name: 'a thing' },
        responses: { 201: { description: 'Created' } },
        handle: async ({ body }) => ({ status: 201, body: { name: body.name, count: body.count } }),
      });
      expect(route.example).toEqual({ name: 'a thing' });
      expect(route.body?.parse(route.example)).toEqual({ name: 'a thing', count: 1 });
    });

    it('when a route without a body is declared, it has no example', () => {
      const route = defineRoute({
        operationId: 'listThings',
        method: 'get',
        path: '/v1/things',
        tag: 'things',
        summary: 'List things',
        scope: 'readings:read',
        subject: 'handler',
        responses: { 200: { description: 'The things' } },
        handle: async () => ({ status: 200, body: [] }),
      });
      expect(route.body).toBeUndefined();
      expect(route.example).toBeUndefined();
    });

    it('when a route with a body has no example, or one its type refuses, it does not compile', () => {
      const fields = {
        operationId: 'createThing',
        method: 'post',
        path: '/v1/things',
        tag: 'things',
        summary: 'Create a thing',
        scope: 'readings:write',
        subject: 'handler',
        responses: { 201: { description: 'Created' } },
        handle: created,
      } as const;
      // Each call below is refused by the compiler (the typecheck fails if one is accepted); at run time defineRoute only returns it.
      // @ts-expect-error -- a route that takes a body declares an example
      defineRoute({ ...fields, body: ThingSchema });
      // @ts-expect-error -- `count` is a number
      defineRoute({ ...fields, body: ThingSchema, example: { name: 'a thing', count: 'one' } });
      // @ts-expect-error -- `name` is required
      defineRoute({ ...fields, body: ThingSchema, example: { count: 2 } });
      // @ts-expect-error -- `colour` is not a field of the body
      defineRoute({ ...fields, body: ThingSchema, example: { name: 'a thing', colour: 'red' } });
      // @ts-expect-error -- a route without a body has no example
      defineRoute({ ...fields, example: { name: 'a thing' } });
      expect(defineRoute({ ...fields, body: ThingSchema, example: { name: 'a thing', count: 2 } }).example).toEqual({ name: 'a thing', count: 2 });
    });

    it('when a route is public, it declares no scope, its handler names the subject and gets no principal', async () => {
      const fields = {
        operationId: 'providerCallback',
        method: 'get',
        path: '/v1/callback',
        tag: 'things',
        summary: 'A redirect from elsewhere',
        responses: { 200: { description: 'A page', contentType: 'text/html' } },
      } as const;
      const route = defineRoute({
        ...fields,
        public: true,
        subject: 'handler',
        handle: async ({ principal }) => ({ status: 200, body: principal === undefined ? '<p>anonymous</p>' : '<p>?</p>' }),
      });
      expect({ public: route.public, scope: route.scope }).toEqual({ public: true, scope: undefined });
      if (route.public !== true) throw new Error('not public');
      await expect(route.handle({ params: {}, query: {}, body: undefined, principal: undefined, headers: {}, identify: () => Promise.resolve(undefined) })).resolves.toEqual({
        status: 200,
        body: '<p>anonymous</p>',
      });
      const handle = created;
      // Each call below is refused by the compiler (the typecheck fails if one is accepted).
      // @ts-expect-error -- a public route has no scope: nothing reads a token
      defineRoute({ ...fields, public: true, subject: 'handler', scope: 'readings:read', handle });
      // @ts-expect-error -- a public route has no user to check: its handler names the subject
      defineRoute({ ...fields, public: true, subject: 'path-user', handle });
      // @ts-expect-error -- a route that is not public names the scope its token needs
      defineRoute({ ...fields, subject: 'handler', handle });
    });
  });
});
