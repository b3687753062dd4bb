// The codec endpoint the Temporal Web UI decodes payloads through (Temporal's codec server protocol:
// POST {base}/decode and {base}/encode with `{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`).
// It opens every tenant's payloads, so it is for operators only and never on the public API port: the
// API process serves it on a listener of its own (TEMPORAL_CODEC_PORT, loopback unless told otherwise),
// answers only the Web UI's origin (CORS) and the configured namespace (the UI's X-Namespace header).
import express from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  namespace: string;
  /** Browser origins allowed to call it: the Web UI's. */
  allowedOrigins: string[];
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_BODY = '4mb';

function fromJson(p: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {}))
    metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')) };
}

function toJson(p: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {}))
    metadata[k] = Buffer.from(v ?? []).toString('base64');
  return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}

function isPayloadList(body: unknown): body is { payloads: JsonPayload[] } {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  return (
    Array.isArray(list) &&
    list.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        (p.data === undefined || typeof p.data === 'string') &&
        Object.values((p as JsonPayload).metadata ?? {}).every((v) => typeof v === 'string'),
    )
  );
}

export function codecServer(opts: CodecServerOptions): express.Application {
  const origins = new Set(opts.allowedOrigins);
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      // A page of any other origin is refused outright, not merely left unreadable by CORS.
      if (!origins.has(origin)) return res.status(403).json({ error: 'origin not allowed' });
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      res.setHeader('Access-Control-Max-Age', '600');
      return res.status(204).end();
    }
    const namespace = req.headers['x-namespace'];
    if (namespace !== undefined && namespace !== opts.namespace)
      return res.status(403).json({ error: 'namespace not served here' });
    next();
  });
  app.use(express.json({ limit: MAX_BODY, type: () => true }));
  for (const op of ['decode', 'encode'] as const) {
    app.post(`/codec/${op}`, (req, res, next) => {
      if (!isPayloadList(req.body)) return res.status(400).json({ error: 'expected { payloads: [...] }' });
      opts.codec[op](req.body.payloads.map(fromJson)).then(
        (payloads) => res.json({ payloads: payloads.map(toJson) }),
        next,
      );
    });
  }
  app.use((_req: express.Request, res: express.Response) => res.status(404).json({ error: 'not found' }));
  // Never echo a codec or parser error: a wrong key id or an altered payload is all the caller learns.
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number }).status;
    res
      .status(status && status >= 400 && status < 500 ? status : 422)
      .json({ error: status ? 'bad request' : 'payload cannot be decoded' });
  });
  return app;
}
