// docker-compose.yml, Dockerfile and the deploy/ scripts, checked without a Docker engine: the compose file must
// wire every service the way the configuration (config/) and the Temporal set-up expect.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { coreConfigSchema, loadConfig } from '../../config';
import { SERVICES } from '../../connectors';
import type { LocalSettings } from '../../connectors/local/service';

import { SEARCH_ATTRIBUTES } from '../../contract';
import { SERVER_DYNAMIC_CONFIG } from '../../scripts/lib/temporal-dev-server';

/** The core settings and each service's own variables. */
const VARIABLE_SCHEMAS = [coreConfigSchema, ...SERVICES.map((s) => s.variables)];

const ROOT = path.resolve(__dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  restart?: string;
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const APP = ['api', 'worker'] as const;

/** Compose's `${VAR:-default}` interpolation, with an empty environment (what a plain `docker compose up` sees). */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  it('has exactly the expected services, each with an image or a build', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'postgresql',
        'redis',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      expect({ name, ok: Boolean(service.image || service.build) }).toEqual({ name, ok: true });
    }
  });

  it('pins the third-party images to the versions the set-up was written for', () => {
    expect(services.postgresql.image).toBe('postgres:16');
    // The versions npm run cluster builds from their Go modules (kept in step).
    const script = fs.readFileSync(path.join(__dirname, '../../scripts/install-temporal-server.sh'), 'utf8');
    const server = /^SERVER_VERSION=v(\S+)/m.exec(script)![1];
    const ui = /^UI_VERSION=v(\S+)/m.exec(script)![1];
    expect([server, ui]).toEqual(['1.29.1', '2.42.1']);
    expect(services['temporal-schema'].image).toBe(`temporalio/admin-tools:${server}-tctl-1.18.4-cli-1.5.0`);
    expect(services['temporal-namespace'].image).toBe(services['temporal-schema'].image);
    expect(services.temporal.image).toBe(`temporalio/server:${server}`);
    expect(services['temporal-ui'].image).toBe(`temporalio/ui:${ui}`);
    expect(services.redis.image).toBe('redis:7');
  });

  it('publishes the API, the Temporal frontend and the Web UI, and nothing else', () => {
    const published = Object.fromEntries(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([name, s]) => [name, s.ports]),
    );
    expect(published).toEqual({ api: ['3000:3000'], temporal: ['7233:7233'], 'temporal-ui': ['8080:8080'] });
  });

  it('orders start-up: schema job, server, namespace job, then the app', () => {
    const conditions = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([dep, d]) => [dep, d.condition])),
      ]),
    );
    const app = {
      postgresql: 'service_healthy',
      redis: 'service_healthy',
      'temporal-namespace': 'service_completed_successfully',
    };
    expect(conditions).toEqual({
      postgresql: {},
      redis: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      temporal: { postgresql: 'service_healthy', 'temporal-schema': 'service_completed_successfully' },
      'temporal-namespace': { temporal: 'service_healthy' },
      'temporal-ui': { temporal: 'service_healthy' },
      api: app,
      worker: app,
    });
  });

  it('gives every service that others wait on as healthy a health check', () => {
    const awaitedHealthy = new Set(
      Object.values(services).flatMap((s) =>
        Object.entries(s.depends_on ?? {})
          .filter(([, d]) => d.condition === 'service_healthy')
          .map(([dep]) => dep),
      ),
    );
    expect([...awaitedHealthy].sort()).toEqual(['postgresql', 'redis', 'temporal']);
    for (const name of [...awaitedHealthy, 'api'])
      expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
  });

  it('runs the app image twice, as API and as worker', () => {
    expect(services.api.build).toBe('.');
    expect(services.worker.build).toBe('.');
    expect(services.api.command).toEqual(['node', 'dist/api/main.js']);
    expect(services.worker.command).toEqual(['node', 'dist/worker/main.js']);
  });

  it.each(APP)('sets only settings that the configuration knows on %s', (name) => {
    const known = VARIABLE_SCHEMAS.flatMap((schema) => Object.keys(schema.shape));
    const unknown = Object.keys(services[name].environment ?? {}).filter((k) => !known.includes(k));
    expect(unknown).toEqual([]);
  });

  it.each(APP)('gives %s every required setting and a scale-out configuration', (name) => {
    const env = Object.fromEntries(
      Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
    );
    // Settings without a default must be present; scale-out ones must not fall back to SQLite, memory or localhost.
    const required = VARIABLE_SCHEMAS.flatMap((schema) => Object.entries(schema.shape))
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([key]) => key);
    for (const key of [...required, 'DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) {
      expect({ key, present: key in env }).toEqual({ key, present: true });
    }
    const config = loadConfig(env);
    expect(config.databaseUrl).toBe('postgres://temporal:temporal@postgresql:5432/migrateclouds');
    expect(config.REDIS_URL).toBe('redis://redis:6379');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe(services['temporal-namespace'].environment?.DEFAULT_NAMESPACE);
    expect(config.PORT).toBe(3000);
    expect((config.services.local as LocalSettings).roots).toEqual(['/srv/files']);
    expect(services[name].volumes).toContain('files:/srv/files');
  });

  it('registers the search attributes the app uses', () => {
    const names = services['temporal-namespace'].environment?.SEARCH_ATTRIBUTES.split(' ');
    expect(names).toEqual(Object.values(SEARCH_ATTRIBUTES));
  });

  it('wires the Temporal server and the schema job to the same PostgreSQL', () => {
    const server = services.temporal.environment ?? {};
    const schema = services['temporal-schema'].environment ?? {};
    expect(server.DB).toBe('postgres12');
    expect(schema.DB).toBe('postgres12');
    expect(server.POSTGRES_SEEDS).toBe('postgresql');
    expect(schema.POSTGRES_SEEDS).toBe('postgresql');
    expect(interpolate(server.POSTGRES_PWD)).toBe(interpolate(schema.SQL_PASSWORD));
    expect(interpolate(server.POSTGRES_PWD)).toBe(
      interpolate(String(services.postgresql.environment?.POSTGRES_PASSWORD)),
    );
    expect(server.BIND_ON_IP).toBe('0.0.0.0');
    // The server resolves DYNAMIC_CONFIG_FILE_PATH under /etc/temporal: that file must come from a mounted folder.
    const inContainer = path.posix.join('/etc/temporal', server.DYNAMIC_CONFIG_FILE_PATH);
    const mount = (services.temporal.volumes ?? [])
      .map((v) => v.split(':'))
      .find(([, target]) => target === path.posix.dirname(inContainer));
    expect(mount).toBeDefined();
    const onHost = path.join(ROOT, mount![0], path.posix.basename(inContainer));
    expect(parse(fs.readFileSync(onHost, 'utf8'))).toHaveProperty(['limit.maxIDLength']);
  });

  it("runs the server with the dev server's dynamic config (fairness between accounts)", () => {
    const file = path.join(ROOT, 'deploy/temporal/dynamicconfig/development-sql.yaml');
    const dynamic = parse(fs.readFileSync(file, 'utf8')) as Record<string, { value: unknown }[]>;
    for (const [key, value] of Object.entries(SERVER_DYNAMIC_CONFIG))
      expect(dynamic[key]?.[0]?.value).toEqual(value);
  });

  it('mounts only files that exist, and declares every named volume', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./'))
          expect({ source, exists: fs.existsSync(path.join(ROOT, source)) }).toEqual({
            source,
            exists: true,
          });
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('has set-up scripts that sh can parse', () => {
    for (const script of ['deploy/temporal/setup-postgres.sh', 'deploy/temporal/create-namespace.sh']) {
      expect(() => execFileSync('sh', ['-n', path.join(ROOT, script)])).not.toThrow();
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);

  it('builds in one stage and runs from a clean one, on Node 20', () => {
    expect(from).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a non-root user', () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users).toEqual(['node']);
  });

  it('keeps local state and dependencies out of the build context', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.data', '.tools', '.git']) expect(ignored).toContain(entry);
  });
});
