// `npm run cluster`'s plan and the files it writes: every process on ports of its own, each Temporal
// process's config naming every role with its own ports, and a load balancer configuration that HAProxy
// itself accepts (`haproxy -c`). The cluster itself runs in bench/ and by hand (docs/operations/cluster.md).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { haproxyConfig } from '../../scripts/lib/cluster/haproxy';
import { connectionBudget, DEFAULT_COUNTS, parseCounts, planCluster } from '../../scripts/lib/cluster/plan';
import { postgresTarget, storeUrl } from '../../scripts/lib/cluster/postgres';
import { temporalConfig, uiConfig } from '../../scripts/lib/cluster/temporal-config';

const PORTS = { apiPort: 3000, apiHost: '0.0.0.0', temporalPort: 7233, codecPort: 8234, uiPort: 8233 };
const DB = { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' };

function haproxyBinary(): string | undefined {
  for (const p of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) if (fs.existsSync(p)) return p;
  return undefined;
}

describe('the cluster plan', () => {
  it("fits every process's PostgreSQL connections under the server's max_connections", () => {
    for (const counts of [
      DEFAULT_COUNTS,
      parseCounts(['--workers', '4']),
      parseCounts(['--workers', '9', '--api', '9']),
    ]) {
      const plan = planCluster(counts, PORTS);
      for (const max of [100, 300]) {
        const b = connectionBudget(max, plan);
        const total =
          plan.temporal.length * (b.temporal.store + b.temporal.visibility) +
          (plan.apis.length + plan.workers.length) * b.app;
        expect(total).toBeLessThanOrEqual(max - 10);
        expect(b.temporal.store).toBeGreaterThanOrEqual(2);
        expect(b.app).toBeGreaterThanOrEqual(2);
      }
    }
    // Temporal's own defaults (20 + 5 per process) would not fit the default 100.
    expect(connectionBudget(100, planCluster(DEFAULT_COUNTS, PORTS))).toEqual({
      temporal: { store: 5, visibility: 1 },
      app: 10,
    });
    const config = temporalConfig(
      planCluster(DEFAULT_COUNTS, PORTS),
      planCluster(DEFAULT_COUNTS, PORTS).temporal[0]!,
      DB,
      '/d.yaml',
      {
        store: 5,
        visibility: 1,
      },
    ) as { persistence: { datastores: Record<string, { sql: { maxConns: number } }> } };
    expect(Object.values(config.persistence.datastores).map((d) => d.sql.maxConns)).toEqual([5, 1]);
  });

  it('reads --workers and --api, and refuses what it cannot run', () => {
    expect(parseCounts([])).toEqual(DEFAULT_COUNTS);
    expect(parseCounts(['--workers', '4', '--api=3'])).toMatchObject({ workers: 4, apis: 3, frontends: 2 });
    expect(() => parseCounts(['--workers', '0'])).toThrow(
      '--workers takes a whole number from 1 to 9, got "0"',
    );
    expect(() => parseCounts(['--workers'])).toThrow('got "undefined"');
    expect(() => parseCounts(['--nodes', '2'])).toThrow('unknown option --nodes');
  });

  it('gives every process ports of its own, none taken by the load balancer', () => {
    const plan = planCluster({ frontends: 3, history: 3, matching: 3, apis: 4, workers: 4 }, PORTS);
    expect(plan.temporal.map((p) => p.name)).toEqual([
      'temporal-history-1',
      'temporal-history-2',
      'temporal-history-3',
      'temporal-matching-1',
      'temporal-matching-2',
      'temporal-matching-3',
      'temporal-worker-1',
      'temporal-frontend-1',
      'temporal-frontend-2',
      'temporal-frontend-3',
    ]);
    const ports = [
      ...plan.temporal.flatMap((p) => [
        p.grpcPort,
        p.membershipPort,
        p.metricsPort,
        ...(p.httpPort ? [p.httpPort] : []),
      ]),
      ...plan.apis.flatMap((a) => [a.port!, a.codecPort!]),
      ...plan.workers.map((w) => w.healthPort!),
      PORTS.apiPort,
      PORTS.temporalPort,
      PORTS.codecPort,
      PORTS.uiPort,
      plan.statsPort,
    ];
    expect(new Set(ports).size).toBe(ports.length);
    expect(plan.workers.map((w) => w.name)).toEqual(['worker-1', 'worker-2', 'worker-3', 'worker-4']);
  });

  it('writes each Temporal process a config with every role, its own ports, and PostgreSQL persistence', () => {
    const plan = planCluster(DEFAULT_COUNTS, PORTS);
    const history2 = plan.temporal.find((p) => p.name === 'temporal-history-2')!;
    const config = temporalConfig(plan, history2, DB, '/dyn.yaml') as {
      services: Record<string, { rpc: { grpcPort: number; membershipPort: number } }>;
      persistence: { datastores: Record<string, { sql: { pluginName: string; databaseName: string } }> };
      clusterMetadata: { clusterInformation: { active: { rpcAddress: string } } };
      publicClient: { hostPort: string };
    };
    expect(Object.keys(config.services).sort()).toEqual(['frontend', 'history', 'matching', 'worker']);
    expect(config.services.history.rpc).toMatchObject({
      grpcPort: history2.grpcPort,
      membershipPort: history2.membershipPort,
    });
    expect(
      Object.values(config.persistence.datastores).map((d) => [d.sql.pluginName, d.sql.databaseName]),
    ).toEqual([
      ['postgres12', 'temporal'],
      ['postgres12', 'temporal_visibility'],
    ]);
    expect(config.clusterMetadata.clusterInformation.active.rpcAddress).toBe('127.0.0.1:7233');
    expect(config.publicClient.hostPort).toBe('127.0.0.1:7233');
    expect(uiConfig(plan, 'default', 'http://127.0.0.1:8234/codec')).toMatchObject({
      temporalGrpcAddress: '127.0.0.1:7233',
      port: 8233,
      codec: { endpoint: 'http://127.0.0.1:8234/codec' },
    });
  });

  it('puts the API replicas, the frontends and the codec endpoints behind HAProxy, which accepts the file', () => {
    const plan = planCluster({ ...DEFAULT_COUNTS, apis: 3 }, PORTS);
    const text = haproxyConfig(plan);
    expect(text).toContain('bind 0.0.0.0:3000');
    expect(text).toContain('bind 127.0.0.1:7233');
    expect(text.match(/server api-\d 127\.0\.0\.1:310\d check/g)).toHaveLength(3);
    expect(text.match(/server temporal-frontend-\d 127\.0\.0\.1:\d+ check/g)).toHaveLength(2);
    const haproxy = haproxyBinary();
    if (!haproxy && process.env.CI !== 'true') return; // with CI=true a missing haproxy fails below
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-haproxy-')), 'haproxy.cfg');
    fs.writeFileSync(file, text);
    expect(execFileSync(haproxy ?? 'haproxy', ['-c', '-f', file], { encoding: 'utf8' })).toMatch(/valid/i);
  });

  it('reads TEMPORAL_POSTGRES_URL and keeps a PostgreSQL DATABASE_URL for the store', () => {
    expect(postgresTarget('postgres://u:p%40ss@db:6543')).toEqual({
      host: 'db',
      port: 6543,
      user: 'u',
      password: 'p@ss',
    });
    expect(() => postgresTarget('mysql://x@y')).toThrow('TEMPORAL_POSTGRES_URL must be a postgres:// URL');
    expect(storeUrl(DB, undefined)).toBe('postgres://postgres@127.0.0.1:5432/migrateclouds');
    expect(storeUrl(DB, 'sqlite:.data/x.db')).toBe('postgres://postgres@127.0.0.1:5432/migrateclouds');
    expect(storeUrl(DB, 'postgres://a@b/c')).toBe('postgres://a@b/c');
  });
});
