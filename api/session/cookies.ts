// The console's session cookie: HttpOnly (scripts never see it), SameSite=Strict (another site's pages
// never send it), Path=/ and Secure whenever the console is served over https. Over https it is named
// `__Host-mc_session`: browsers accept that name only from this very host, Secure, for the whole site, so
// a sibling subdomain cannot plant ("toss") a session of its choosing; the plain name is then ignored.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'mc_session';
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/** A cookie's value from the request, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** Secure when this request came over https (behind a proxy: TRUST_PROXY) or the public URL is https. */
export const isSecure = (req: Request, publicUrl: string | undefined): boolean =>
  req.secure || (publicUrl ?? '').startsWith('https:');

/** The session token this request carries, under the name its scheme uses. */
export const readSessionCookie = (req: Request, publicUrl: string | undefined): string | undefined =>
  readCookie(req, sessionCookieName(isSecure(req, publicUrl)));

export function setSessionCookie(res: Response, token: string, opts: { secure: boolean; maxAgeMs: number }) {
  res.cookie(sessionCookieName(opts.secure), token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: opts.secure,
    path: '/',
    maxAge: Math.max(0, opts.maxAgeMs),
  });
}

export function clearSessionCookie(res: Response, secure: boolean) {
  res.clearCookie(sessionCookieName(secure), { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}
