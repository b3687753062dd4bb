// Cross-site request forgery: a change made with the session cookie must carry the session's synchronizer
// token in X-CSRF-Token (GET /v1/session answers it; another site cannot read it) AND come from an allowed
// Origin. The token is derived from the session's secret, so it is tied to that session and needs no storage.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { permissionDenied } from '../../common/errors';

export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isUnsafe = (method: string) => UNSAFE.has(method.toUpperCase());

export const csrfTokenFor = (sessionToken: string): string =>
  createHash('sha256').update(`csrf\0${sessionToken}`).digest('base64url');

/** The origins the console is served from: the public URL's and the one this request was addressed to. */
export function allowedOrigins(req: Request, publicUrl: string): Set<string> {
  const origins = new Set([new URL(publicUrl).origin]);
  const host = req.get('host');
  if (host) origins.add(`${req.protocol}://${host}`);
  return origins;
}

/** Refuses a request whose Origin is foreign (403). `required`: a missing Origin is refused too. */
export function checkOrigin(req: Request, publicUrl: string, required: boolean): void {
  const origin = req.get('origin');
  if (!origin) {
    if (!required) return;
    throw permissionDenied(
      'Cross-site request refused: no Origin header',
      'Changes made with a console session must come from the console’s own pages.',
    );
  }
  if (!allowedOrigins(req, publicUrl).has(origin)) {
    throw permissionDenied(
      `Cross-site request refused: Origin ${origin.slice(0, 200)} is not this server`,
      'Changes made with a console session must come from the console’s own pages. Serving the console ' +
        'at another address (a proxy, https)? Set PUBLIC_URL to the address the browser shows.',
    );
  }
}

/** Refuses an unsafe request without the session's token in X-CSRF-Token (403). */
export function checkCsrfToken(req: Request, sessionToken: string): void {
  const sent = req.get(CSRF_HEADER) ?? '';
  const want = Buffer.from(csrfTokenFor(sessionToken));
  const got = Buffer.from(sent);
  if (got.length === want.length && timingSafeEqual(got, want)) return;
  throw permissionDenied(
    sent ? 'Invalid X-CSRF-Token header' : 'Missing X-CSRF-Token header',
    'Send the csrf_token of GET /v1/session in the X-CSRF-Token header with every change.',
  );
}

/** Middleware: checkOrigin for the public sign-in routes (a missing Origin is curl's, and allowed). */
export const refuseForeignOrigin =
  (publicUrl: string): RequestHandler =>
  (req, _res, next) => {
    checkOrigin(req, publicUrl, false);
    next();
  };
