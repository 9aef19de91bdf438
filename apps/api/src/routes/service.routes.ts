import { DynamoDBService } from '@vitals/dynamodb-core';
import express, { Router } from 'express';
import type { Container } from 'inversify';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { ApiProblem } from '../middleware/problem-details.ts';

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

/** Liveness, readiness (DynamoDB answers), the OpenAPI document and the docs UI from local files. */
export function serviceRoutes(container: Container, document: object): Router {
  const db = container.get(DynamoDBService);
  const body = JSON.stringify(document);
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await db.ping();
    } catch {
      throw new ApiProblem('unavailable', 'DynamoDB does not answer');
    }
    res.json({ status: 'ready' });
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
