// The console's only way to the server: the public /v1 API, with the session cookie (sent by the browser)
// and the session's CSRF token on every change. Error envelopes become ApiError with the server's words.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
/** Called when a request finds the session gone (401): the app shows the sign-in page. */
let onSignedOut: () => void = () => {};

export const setCsrfToken = (token: string) => (csrfToken = token);
export const setOnSignedOut = (fn: () => void) => (onSignedOut = fn);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server could not be reached',
      'Check that MigrateClouds is running.',
    );
  }
  const json = (await res.json().catch(() => undefined)) as
    | { status: 'success'; data: T }
    | { status: 'error'; error: { code: string; message: string; details: string } }
    | undefined;
  if (json?.status === 'success') return json.data;
  const error = json?.status === 'error' ? json.error : undefined;
  if (res.status === 401 && !path.startsWith('/v1/session')) onSignedOut();
  throw new ApiError(
    res.status,
    error?.code ?? 'internal_error',
    error?.message ?? `The server answered ${res.status}`,
    error?.details ?? '',
  );
}

/** A path segment or query value, encoded. */
export const q = (params: Record<string, string | number | boolean | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};
