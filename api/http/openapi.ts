// The OpenAPI 3.1 document, generated from the routes' own zod schemas.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
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
