// GET /v1/openapi.json and a Swagger UI page at /docs, served from the installed swagger-ui-dist
// package (no CDN), with our own initializer pointing at our document. The page keeps an API key
// entered under "Authorize" in memory only, and its Content-Security-Policy allows only this server.
import express from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { OpenApiDocument } from '../http/openapi';

const ASSETS = new Set([
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>MigrateClouds API</title>
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <p>
      An API key you enter under Authorize stays in this page's memory only: reloading or closing the tab
      forgets it. Nothing is stored in the browser.
    </p>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

const INIT = `// API keys stay in memory: earlier versions of this page kept them in localStorage, so drop any left.
try {
  window.localStorage.removeItem('authorized');
} catch (e) {}
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/v1/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * What Swagger UI needs, from this server only: its script and styles (it sets inline styles), data:
 * images from its stylesheet, and requests to the API — here, or at PUBLIC_URL when that is elsewhere.
 */
function docsPolicy(document: OpenApiDocument): string {
  const server = document.servers?.[0]?.url ?? '/';
  const api = /^https?:\/\//.test(server) ? ` ${new URL(server).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${api}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function docsRouter(document: OpenApiDocument): express.Router {
  const router = express.Router();
  const policy = docsPolicy(document);
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Content-Security-Policy', policy);
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  // Only the files the page loads: the package's own index.html and initializer point at a demo spec.
  const assets = express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' });
  router.use('/docs/assets', (req, res, next) => (ASSETS.has(req.path) ? assets(req, res, next) : next()));
  return router;
}
