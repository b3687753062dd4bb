// The browser origins the codec endpoint answers: the Web UI's (TEMPORAL_UI_URL). A UI on a loopback
// address is reached as localhost or 127.0.0.1 alike, so both are allowed.
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export function uiOrigins(uiUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(uiUrl);
  } catch {
    return [];
  }
  if (!LOOPBACK.includes(url.hostname)) return [url.origin];
  return LOOPBACK.map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
}
