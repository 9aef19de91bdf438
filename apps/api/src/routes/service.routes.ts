import { DynamoDBTables } from '@vitals/dynamodb-core';
import { allEntities } from '@vitals/models';
import express, { Router } from 'express';
import type { Container } from 'inversify';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { API_TOKENS } from '../container/tokens.ts';
import { ApiProblem } from '../middleware/problem-details.ts';
import { ReadinessCheck } from './readiness.ts';

/** A ready answer is reused this long: probes every second or so cost five DescribeTable calls at most this often. */
const READINESS_CACHE_MS = 2_000;
/**
 * Load balancers and Kubernetes give a probe a few seconds; answer within that even when DynamoDB
 * hangs, yet leave a slow DynamoDB Local (five DescribeTable calls on a busy machine) time to answer.
 */
const READINESS_DEADLINE_MS = 3_000;

/** Points the bundled Swagger UI at this API's document instead of its demo. */
const SWAGGER_INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '../openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/** Liveness, readiness (DynamoDB answers and has the tables), the OpenAPI document and the docs UI from local files. */
export function serviceRoutes(container: Container, document: object): Router {
  const prefix = container.get(API_TOKENS.Config).table_prefix;
  const readiness = new ReadinessCheck(
    container.get(DynamoDBTables),
    allEntities.map((entity) => entity.tableName(prefix)),
    { cacheMs: READINESS_CACHE_MS, deadlineMs: READINESS_DEADLINE_MS },
  );
  const body = JSON.stringify(document);
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const state = await readiness.check();
    if (state.ready) {
      res.json({ status: 'ready' });
    } else if (state.reason === 'tablesMissing') {
      throw new ApiProblem('tablesMissing', `Missing or not active: ${state.missing.join(', ')}. Create them with \`npm run migrate -- tables apply\``);
    } else {
      throw new ApiProblem('unavailable', state.detail);
    }
  });
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('text/javascript').send(SWAGGER_INITIALIZER);
  });
  router.use('/docs', express.static(getAbsoluteFSPath(), { index: 'index.html' }));
  return router;
}
