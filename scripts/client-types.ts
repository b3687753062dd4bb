// `npm run client:types`: regenerates the TypeScript SDK's types (clients/typescript/src/generated/api.ts)
// from the API's own OpenAPI document with openapi-typescript. The document comes from the code, not a
// running stack: the real app is built in-process (SQLite in memory, a Temporal client that never
// connects) and asked for GET /v1/openapi.json on a loopback port.
// `--check` writes nothing and exits 1 when the generated file is stale (`npm run docs:check` runs it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { createRateLimiter } from '../api/http/rate-limit';
import { createLogger } from '../common/logger';
import { loadConfig, projectRoot } from '../config';
import { createStore } from '../store';

export const GENERATED = path.join(projectRoot, 'clients/typescript/src/generated/api.ts');

/** The document a default server serves (no PUBLIC_URL, so `servers` is "/"). */
export async function openApiDocument(): Promise<unknown> {
  const store = await createStore('sqlite::memory:');
  const rateLimiter = createRateLimiter({ limits: { pro: 1, enterprise: 1 } });
  const app = createApp({
    store,
    // Client() connects lazily: serving the document never reaches Temporal.
    temporal: { client: new Client(), namespace: 'default' },
    config: loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
    logger: createLogger('silent'),
    rateLimiter,
  });
  const server = app.listen(0, '127.0.0.1');
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
    if (!res.ok) throw new Error(`GET /v1/openapi.json answered ${res.status}`);
    return await res.json();
  } finally {
    server.close();
    await rateLimiter.close();
    await store.close();
  }
}

/**
 * openapi-typescript's output for the document, as its CLI writes it. A field with a default stays optional
 * (--default-non-nullable=false): request bodies may leave it out, and the server fills it in.
 */
export function generateTypes(document: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-openapi-'));
  try {
    const input = path.join(dir, 'openapi.json');
    const output = path.join(dir, 'api.ts');
    fs.writeFileSync(input, JSON.stringify(document, null, 2));
    const cli = path.join(projectRoot, 'node_modules/openapi-typescript/bin/cli.js');
    execFileSync(process.execPath, [cli, input, '--output', output, '--default-non-nullable=false'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return fs.readFileSync(output, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const fresh = generateTypes(await openApiDocument());
  const current = fs.existsSync(GENERATED) ? fs.readFileSync(GENERATED, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (fresh === current) return 0;
    process.stderr.write(
      `${path.relative(projectRoot, GENERATED)} is stale: the API's OpenAPI document changed. ` +
        'Run `npm run client:types` and commit the result.\n',
    );
    return 1;
  }
  fs.mkdirSync(path.dirname(GENERATED), { recursive: true });
  fs.writeFileSync(GENERATED, fresh);
  process.stdout.write(`wrote ${path.relative(projectRoot, GENERATED)}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
