// A host that is not the service: it records every connection made to it (a TLS attempt included) and
// every HTTP request with its Authorization header, so a test can show that nothing — least of all a
// bearer token — reached it. And a proxy in front of an emulator that sends another Host, so that the
// emulator writes the links it answers (next pages, upload sessions) on that host.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForeignHost {
  /** http://127.0.0.1:port */
  url: string;
  /** host:port, for an https:// URL to the same socket. */
  host: string;
  /** TCP connections accepted, whatever was sent on them. */
  connections: number;
  requests: { method: string; url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startForeignHost(): Promise<ForeignHost> {
  const server = http.createServer((req, res) => {
    foreign.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    res.setHeader('content-type', 'application/json');
    res.end('{"value":[]}');
  });
  server.on('connection', () => void foreign.connections++);
  // A TLS handshake arriving on plain HTTP is a client error here: answer nothing.
  server.on('clientError', (_err, socket) => socket.destroy());
  const host = await listen(server);
  const foreign: ForeignHost = {
    url: `http://${host}`,
    host,
    connections: 0,
    requests: [],
    close: () => closeServer(server),
  };
  return foreign;
}

/** A proxy to `target` that tells it the request came for `host`; answers its own URL. */
export async function startHostRewritingProxy(
  target: string,
  host: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        hostname: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const own = await listen(server);
  return { url: `http://${own}`, close: () => closeServer(server) };
}
