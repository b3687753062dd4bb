// The web console (console/, built by `npm run build` into dist/console) under /console, and `/` leading
// there. It is a static single-page app talking only to /v1 with the session cookie; its policy lets it
// load only its own files and call only this server (no inline script, no CDN).
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { AppError } from '../../common/errors';

export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRouter(projectRoot: string): express.Router {
  const dir = path.join(projectRoot, 'dist', 'console');
  const router = express.Router();
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.use('/console', (req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
    // `/console` → `/console/`, so the page's relative asset URLs resolve.
    if (req.originalUrl === '/console') return res.redirect(301, '/console/');
    next();
  });
  // Built files have content hashes in their names: cache them for long.
  router.use(
    '/console/assets',
    express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  router.get(['/console/', '/console/index.html'], (_req, res, next) => {
    const index = path.join(dir, 'index.html');
    if (!fs.existsSync(index)) {
      return next(
        new AppError(
          'resource_not_found',
          'The console is not built',
          'Run `npm run build` (it builds console/ into dist/console).',
        ),
      );
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  router.use('/console', express.static(dir, { index: false, maxAge: '1h' }));
  return router;
}
