// Opaque list page tokens: base64url JSON naming the listing and the last entry emitted, relative to the
// listed folder. Resuming needs nothing else, so the token stays small and valid across processes.
import { invalidParameter } from '../../common/errors';

interface TokenBody {
  v: 1;
  /** The listed folder (canonical connector path). */
  p: string;
  r: boolean;
  /** Segments of the last emitted entry below the listed folder. */
  a: string[];
}

export function encodePageToken(listedPath: string, recursive: boolean, after: string[]): string {
  const body: TokenBody = { v: 1, p: listedPath, r: recursive, a: after };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The `after` segments of a token, checked to belong to this listing. */
export function decodePageToken(token: string, listedPath: string, recursive: boolean): string[] {
  let body: Partial<TokenBody> | null = null;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    // Reported below.
  }
  const wellFormed =
    body !== null &&
    typeof body === 'object' &&
    body.v === 1 &&
    Array.isArray(body.a) &&
    body.a.length > 0 &&
    body.a.every((s) => typeof s === 'string' && s !== '' && s !== '.' && s !== '..' && !/[/\0]/.test(s));
  if (!wellFormed) {
    throw invalidParameter(
      'page_token',
      'is malformed',
      'Pass the next_page_token of the previous page unchanged',
    );
  }
  if (body!.p !== listedPath || body!.r !== recursive || (!recursive && body!.a!.length !== 1)) {
    throw invalidParameter(
      'page_token',
      'belongs to a different listing',
      'Use a page token only with the same path and recursive flag it was returned for',
    );
  }
  return body!.a!;
}
