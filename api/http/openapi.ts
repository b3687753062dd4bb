// The OpenAPI 3.1 document, generated from the routes' own zod schemas.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorEnvelopeSchema } from './schemas';
import { z } from './zod';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: "Authorization: Bearer mc_…".',
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/openapi.json',
    tags: ['docs'],
    summary: 'This OpenAPI 3.1 document',
    security: [],
    responses: {
      200: { description: 'The document', content: { 'application/json': { schema: z.object({}) } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/docs',
    tags: ['docs'],
    summary: 'Interactive API documentation',
    security: [],
    responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } } },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['health'],
    summary: 'Prometheus metrics',
    description:
      'The product’s metrics in the Prometheus text format (docs/operations/observability.md). Public unless ' +
      'the server sets METRICS_TOKEN; then send it as "Authorization: Bearer <METRICS_TOKEN>" (not an API key).',
    security: [],
    responses: {
      200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } },
      401: {
        description: 'authentication_error: METRICS_TOKEN is set and was not sent',
        content: { 'application/json': { schema: errorEnvelopeSchema } },
      },
    },
  });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry, serverUrl?: string): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MigrateClouds API',
      version: '1.0.0',
      description:
        'Move files between cloud storage services. Every response is an envelope: ' +
        '`{status: "success", data}` or `{status: "error", error: {code, message, details}}`.',
    },
    servers: [{ url: serverUrl ?? '/' }],
    security: [{ bearerAuth: [] }],
  });
}
