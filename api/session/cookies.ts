// The console's session cookie: HttpOnly (scripts never see it), SameSite=Strict (another site's pages
// never send it), Path=/ and Secure whenever the console is served over https.
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'mc_session';

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

export function setSessionCookie(res: Response, token: string, opts: { secure: boolean; maxAgeMs: number }) {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: opts.secure,
    path: '/',
    maxAge: Math.max(0, opts.maxAgeMs),
  });
}

export function clearSessionCookie(res: Response, secure: boolean) {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
}
