/** The unauthenticated service routes, as documented operations (they are plain Express handlers). */
export const SERVICE_OPERATIONS: readonly { path: string; operation: Record<string, unknown> }[] = [
  {
    path: '/healthz',
    operation: {
      operationId: 'liveness',
      tags: ['service'],
      summary: 'Liveness: the process answers',
      security: [],
      responses: { 200: { description: 'Alive', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } } } },
    },
  },
  {
    path: '/readyz',
    operation: {
      operationId: 'readiness',
      tags: ['service'],
      summary: 'Readiness: DynamoDB answers and every table the API needs is active',
      security: [],
      responses: {
        200: { description: 'Ready', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ready' } } } } } },
        503: {
          description: 'DynamoDB does not answer within 3 s, or a table is missing (the detail names them and `npm run migrate -- tables apply`)',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    },
  },
  {
    path: '/openapi.json',
    operation: {
      operationId: 'openApiDocument',
      tags: ['service'],
      summary: 'This document',
      security: [],
      responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  {
    path: '/docs/',
    operation: {
      operationId: 'docs',
      tags: ['service'],
      summary: 'Rendered documentation (Swagger UI, served from local files)',
      security: [],
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  },
];
