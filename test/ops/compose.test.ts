// docker-compose.yml, Dockerfile and the deploy/ scripts, checked without a Docker engine: the compose file must
// wire every service the way the configuration (config/) and the Temporal set-up expect, in the shape
// `npm run cluster` runs (scripts/lib/cluster/), and HAProxy itself must accept its load balancer's file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { coreConfigSchema, loadConfig } from '../../config';
import { SERVICES } from '../../connectors';
import type { LocalSettings } from '../../connectors/local/service';

import { SEARCH_ATTRIBUTES } from '../../contract';
import { DEFAULT_COUNTS, planCluster, TEMPORAL_ROLES } from '../../scripts/lib/cluster/plan';
import { NUM_HISTORY_SHARDS } from '../../scripts/lib/cluster/temporal-config';
import { SERVER_DYNAMIC_CONFIG } from '../../scripts/lib/temporal-dev-server';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';

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
  deploy?: { replicas?: number };
}

// The file shares settings through YAML merge keys (`<<: *anchor`), which Compose applies.
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const APP = ['api', 'worker'] as const;
/** The Temporal services, one role each, as `npm run cluster` runs them. */
const ROLE_SERVICES = TEMPORAL_ROLES.map((role) => `temporal-${role}`);
const LB = 'lb';
const LB_CONFIG = 'deploy/haproxy/haproxy.cfg';

/** Compose's `${VAR:-default}` interpolation, with an empty environment (what a plain `docker compose up` sees). */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

/** The container path a service mounts a repository path at (`./from:/to[:ro]`). */
const mountOf = (service: Service, from: string) =>
  (service.volumes ?? []).map((v) => v.split(':')).find(([source]) => path.normalize(source) === from)?.[1];

/** An HAProxy file's sections ("frontend api", "backend temporal", …) and their lines, trimmed. */
function haproxySections(text: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  let current = '';
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (/^\S/.test(line)) sections[(current = line.trim())] = [];
    else sections[current].push(line.trim().replace(/\s+/g, ' '));
  }
  return sections;
}

function haproxyBinary(): string | undefined {
  for (const p of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) if (fs.existsSync(p)) return p;
  return undefined;
}

describe('docker-compose.yml', () => {
  it('has exactly the expected services, each with an image or a build', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        LB,
        'postgresql',
        'redis',
        ...ROLE_SERVICES,
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
    for (const name of ROLE_SERVICES)
      expect({ name, image: services[name].image }).toEqual({
        name,
        image: `temporalio/server:${server}`,
      });
    expect(services['temporal-ui'].image).toBe(`temporalio/ui:${ui}`);
    expect(services.redis.image).toBe('redis:7');
    // A release line, never `latest`: the file's syntax is checked against Debian's HAProxy (2.6 and up).
    expect(services[LB].image).toMatch(/^haproxy:\d+\.\d+$/);
  });

  it('publishes the load balancer (API and Temporal), its statistics on loopback and the Web UI, and nothing else', () => {
    const published = Object.fromEntries(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([name, s]) => [name, s.ports]),
    );
    expect(published).toEqual({
      [LB]: ['3000:3000', '7233:7233', '127.0.0.1:9000:9000'],
      'temporal-ui': ['8080:8080'],
    });
  });

  it('orders start-up: schema job, history and matching, frontends, namespace job, then the app', () => {
    const conditions = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([dep, d]) => [dep, d.condition])),
      ]),
    );
    const temporal = { postgresql: 'service_healthy', 'temporal-schema': 'service_completed_successfully' };
    const app = {
      postgresql: 'service_healthy',
      redis: 'service_healthy',
      'temporal-namespace': 'service_completed_successfully',
    };
    const frontends = { 'temporal-frontend': 'service_healthy', [LB]: 'service_started' };
    expect(conditions).toEqual({
      postgresql: {},
      redis: {},
      // It finds the replicas by name whenever they come: nothing to wait for.
      [LB]: {},
      'temporal-schema': { postgresql: 'service_healthy' },
      'temporal-history': temporal,
      'temporal-matching': temporal,
      'temporal-frontend': {
        ...temporal,
        'temporal-history': 'service_started',
        'temporal-matching': 'service_started',
      },
      'temporal-worker': { ...temporal, 'temporal-frontend': 'service_healthy' },
      'temporal-namespace': frontends,
      'temporal-ui': frontends,
      api: app,
      worker: app,
    });
  });

  it('gives every service that others wait on as healthy a health check, and the API and workers theirs', () => {
    const awaitedHealthy = new Set(
      Object.values(services).flatMap((s) =>
        Object.entries(s.depends_on ?? {})
          .filter(([, d]) => d.condition === 'service_healthy')
          .map(([dep]) => dep),
      ),
    );
    expect([...awaitedHealthy].sort()).toEqual(['postgresql', 'redis', 'temporal-frontend']);
    for (const name of [...awaitedHealthy, ...APP])
      expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
    // A worker is healthy once it is connected and polling (worker/health.ts), on its own health port.
    const port = services.worker.environment?.WORKER_HEALTH_PORT;
    expect(services.worker.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/readyz`);
    expect(services.api.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:3000/healthz');
  });

  it('runs the app image twice, as API and as worker', () => {
    expect(services.api.build).toBe('.');
    expect(services.worker.build).toBe('.');
    expect(services.api.command).toEqual(['node', 'dist/api/main.js']);
    expect(services.worker.command).toEqual(['node', ...WORKER_NODE_FLAGS, 'dist/worker/main.js']);
  });

  it("starts the worker with the worker's node flags in npm run worker too", () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.worker).toContain(`node ${WORKER_NODE_FLAGS.join(' ')} dist/worker/main.js`);
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
    expect(config.TEMPORAL_ADDRESS).toBe(`${LB}:7233`);
    expect(config.TEMPORAL_NAMESPACE).toBe(services['temporal-namespace'].environment?.DEFAULT_NAMESPACE);
    expect(config.PORT).toBe(3000);
    expect((config.services.local as LocalSettings).roots).toEqual(['/srv/files']);
    expect(services[name].volumes).toContain('files:/srv/files');
  });

  it('registers the search attributes the app uses', () => {
    const names = services['temporal-namespace'].environment?.SEARCH_ATTRIBUTES.split(' ');
    expect(names).toEqual(Object.values(SEARCH_ATTRIBUTES));
  });

  it.each(ROLE_SERVICES)('wires %s and the schema job to the same PostgreSQL', (name) => {
    const server = services[name].environment ?? {};
    const schema = services['temporal-schema'].environment ?? {};
    expect(server.DB).toBe('postgres12');
    expect(schema.DB).toBe('postgres12');
    expect(server.POSTGRES_SEEDS).toBe('postgresql');
    expect(schema.POSTGRES_SEEDS).toBe('postgresql');
    expect(interpolate(server.POSTGRES_PWD)).toBe(interpolate(schema.SQL_PASSWORD));
    expect(interpolate(server.POSTGRES_PWD)).toBe(
      interpolate(String(services.postgresql.environment?.POSTGRES_PASSWORD)),
    );
    // Membership refuses to listen on every interface without an address to advertise (ringpop's
    // broadcastAddress); unset, the image binds the container's own address.
    if (server.BIND_ON_IP === '0.0.0.0') expect(server.TEMPORAL_BROADCAST_ADDRESS).toBeTruthy();
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

describe('docker-compose.yml, in step with npm run cluster', () => {
  const plan = planCluster(DEFAULT_COUNTS, {
    apiPort: 3000,
    apiHost: '0.0.0.0',
    temporalPort: 7233,
    codecPort: 8234,
    uiPort: 8233,
  });
  const lbText = fs.readFileSync(path.join(ROOT, LB_CONFIG), 'utf8');
  const lb = haproxySections(lbText);

  it.each(TEMPORAL_ROLES)(
    'runs the %s role alone, in as many containers as the cluster runs processes',
    (role) => {
      const service = services[`temporal-${role}`];
      expect(service.environment?.SERVICES).toBe(role);
      const processes = plan.temporal.filter((p) => p.role === role).length;
      expect(service.deploy?.replicas ?? 1).toBe(processes);
    },
  );

  it('runs as many API replicas and workers as the cluster by default', () => {
    expect(services.api.deploy?.replicas).toBe(plan.apis.length);
    expect(services.worker.deploy?.replicas).toBe(plan.workers.length);
  });

  it.each(ROLE_SERVICES)('gives %s the cluster’s shard count and the dynamic config', (name) => {
    const env = services[name].environment ?? {};
    expect(Number(env.NUM_HISTORY_SHARDS)).toBe(NUM_HISTORY_SHARDS);
    // The server resolves DYNAMIC_CONFIG_FILE_PATH under /etc/temporal: the file must come from the mount.
    const inContainer = path.posix.join('/etc/temporal', env.DYNAMIC_CONFIG_FILE_PATH);
    expect(mountOf(services[name], 'deploy/temporal/dynamicconfig')).toBe(path.posix.dirname(inContainer));
    const onHost = path.join(ROOT, 'deploy/temporal/dynamicconfig', path.posix.basename(inContainer));
    expect(parse(fs.readFileSync(onHost, 'utf8'))).toHaveProperty(['matching.enableFairness']);
  });

  it('gives every Temporal client the load balancer: the app, the namespace job and the Web UI', () => {
    for (const name of [...APP, 'temporal-namespace', 'temporal-ui'])
      expect({ name, address: services[name].environment?.TEMPORAL_ADDRESS }).toEqual({
        name,
        address: `${LB}:7233`,
      });
    expect(services.api.ports).toBeUndefined();
  });

  it('trusts one proxy hop on the API, so per-address limits see the client (X-Forwarded-For)', () => {
    expect(services.api.environment?.TRUST_PROXY).toBe('1');
    expect(lb['frontend api']).toContain('option forwardfor');
  });

  it('mounts the load balancer’s file where the haproxy image reads it, and HAProxy accepts it', () => {
    expect(mountOf(services[LB], LB_CONFIG)).toBe('/usr/local/etc/haproxy/haproxy.cfg');
    const haproxy = haproxyBinary();
    if (!haproxy && process.env.CI !== 'true') return; // with CI=true a missing haproxy fails below
    expect(
      execFileSync(haproxy ?? 'haproxy', ['-c', '-f', path.join(ROOT, LB_CONFIG)], { encoding: 'utf8' }),
    ).toMatch(/valid/i);
  });

  it('balances HTTP on 3000 over the API replicas, health-checked and retried, as the cluster does', () => {
    expect(lb['frontend api']).toEqual(
      expect.arrayContaining(['mode http', 'bind :3000', 'default_backend api']),
    );
    expect(lb['backend api']).toEqual(
      expect.arrayContaining(['mode http', 'option httpchk GET /healthz', 'retries 2', 'option redispatch']),
    );
    // Every replica of the api service, found by name through Docker's DNS.
    expect(lb['backend api'].find((l) => l.startsWith('server-template'))).toMatch(/ api:3000$/);
  });

  it('balances TCP on 7233 over the Temporal frontends', () => {
    expect(lb['frontend temporal']).toEqual(
      expect.arrayContaining(['mode tcp', 'bind :7233', 'default_backend temporal']),
    );
    expect(lb['backend temporal']).toContain('mode tcp');
    expect(lb['backend temporal'].find((l) => l.startsWith('server-template'))).toMatch(
      / temporal-frontend:7233$/,
    );
  });

  it("resolves replicas through Docker's DNS, so the file is valid before any of them exists", () => {
    expect(lb['resolvers docker']).toContain('nameserver dns 127.0.0.11:53');
    const defaults = lb.defaults.find((l) => l.startsWith('default-server')) ?? '';
    expect(defaults).toMatch(/\binit-addr none\b/);
    expect(defaults).toMatch(/\bresolvers docker\b/);
    expect(defaults).toMatch(/\bcheck\b/);
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
