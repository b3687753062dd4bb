// Headers on every answer: a browser must not sniff a JSON answer into something it runs, frame it, or
// load anything on its behalf. The docs page replaces the policy with the little it needs
// (api/docs/routes.ts).
import type { RequestHandler } from 'express';

/** For JSON answers: nothing may load, run, submit or frame. */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const securityHeaders = (): RequestHandler => (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
  res.setHeader('X-Frame-Options', 'DENY');
  // The OAuth callback's URL carries a state: never pass it on in a Referer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
