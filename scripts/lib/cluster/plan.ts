// The shape `npm run cluster` brings up on one machine, as data: every Temporal service in processes of
// its own (two frontends, two history, two matching, the internal worker service), the Web UI, the API
// replicas and the workers, HAProxy in front, and the ports each listens on. Everything binds loopback
// except the load balancer's API port (HOST:PORT, as `npm start`). Pure: the tests read it.

/** The Temporal services, in start order (the frontends last: they answer once the others are up). */
export const TEMPORAL_ROLES = ['history', 'matching', 'worker', 'frontend'] as const;
export type TemporalRole = (typeof TEMPORAL_ROLES)[number];

export interface TemporalProcess {
  /** temporal-frontend-1, temporal-history-2, …: also its config and log file's name. */
  name: string;
  role: TemporalRole;
  grpcPort: number;
  membershipPort: number;
  /** The frontend's HTTP API port (frontends only). */
  httpPort?: number;
  /** Its Prometheus metrics. */
  metricsPort: number;
}

export interface AppProcess {
  name: string;
  /** The API replica's own port (the load balancer's is PORT). */
  port?: number;
  /** The API replica's codec endpoint port (the Web UI decrypts payloads through the load balancer). */
  codecPort?: number;
  /** The worker's health endpoints (WORKER_HEALTH_PORT). */
  healthPort?: number;
}

export interface ClusterPlan {
  temporal: TemporalProcess[];
  apis: AppProcess[];
  workers: AppProcess[];
  /** Where SDK clients reach the frontends: the load balancer's gRPC port (TEMPORAL_ADDRESS). */
  temporalAddress: string;
  /** The load balancer's API port and address (PORT, HOST). */
  apiPort: number;
  apiHost: string;
  /** The load balancer's codec port (TEMPORAL_CODEC_PORT). */
  codecPort: number;
  uiPort: number;
  /** HAProxy's statistics page (loopback). */
  statsPort: number;
}

export interface ClusterCounts {
  frontends: number;
  history: number;
  matching: number;
  apis: number;
  workers: number;
}

export const DEFAULT_COUNTS: ClusterCounts = { frontends: 2, history: 2, matching: 2, apis: 2, workers: 2 };

/** Port bases: gRPC 7240 + 10·role + n, membership 6940 + …, metrics 9040 + … (n from 1). */
const ROLE_OFFSET: Record<TemporalRole, number> = { frontend: 0, history: 10, matching: 20, worker: 30 };
const API_PORT_BASE = 3100;
const API_CODEC_PORT_BASE = 8300;
const WORKER_HEALTH_PORT_BASE = 9100;

export function planCluster(
  counts: ClusterCounts,
  ports: { apiPort: number; apiHost: string; temporalPort: number; codecPort: number; uiPort: number },
): ClusterPlan {
  const temporal: TemporalProcess[] = [];
  const per: Record<TemporalRole, number> = {
    frontend: counts.frontends,
    history: counts.history,
    matching: counts.matching,
    worker: 1,
  };
  for (const role of TEMPORAL_ROLES) {
    for (let n = 1; n <= per[role]; n++) {
      const at = ROLE_OFFSET[role] + n;
      temporal.push({
        name: `temporal-${role}-${n}`,
        role,
        grpcPort: 7240 + at,
        membershipPort: 6940 + at,
        ...(role === 'frontend' ? { httpPort: 7340 + at } : {}),
        metricsPort: 9040 + at,
      });
    }
  }
  const apis = Array.from({ length: counts.apis }, (_, i) => ({
    name: `api-${i + 1}`,
    port: API_PORT_BASE + i + 1,
    codecPort: API_CODEC_PORT_BASE + i + 1,
  }));
  const workers = Array.from({ length: counts.workers }, (_, i) => ({
    name: `worker-${i + 1}`,
    healthPort: WORKER_HEALTH_PORT_BASE + i + 1,
  }));
  return {
    temporal,
    apis,
    workers,
    temporalAddress: `127.0.0.1:${ports.temporalPort}`,
    apiPort: ports.apiPort,
    apiHost: ports.apiHost,
    codecPort: ports.codecPort,
    uiPort: ports.uiPort,
    statsPort: 9000,
  };
}

/** `--workers N`, `--api N` (and the Temporal counts, for experiments) from the command line. */
export function parseCounts(argv: string[]): ClusterCounts {
  const counts = { ...DEFAULT_COUNTS };
  const flags: Record<string, keyof ClusterCounts> = {
    '--workers': 'workers',
    '--api': 'apis',
    '--frontends': 'frontends',
    '--history': 'history',
    '--matching': 'matching',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = flags[flag];
    if (!key) throw new Error(`unknown option ${argv[i]} (known: ${Object.keys(flags).join(', ')})`);
    const raw = inline ?? argv[++i];
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 9)
      throw new Error(`${flag} takes a whole number from 1 to 9, got "${raw}"`);
    counts[key] = n;
  }
  return counts;
}

/** Connections each process may keep to PostgreSQL, so that all of them fit its `max_connections`. */
export interface ConnectionBudget {
  /** Each Temporal process: its default store and its visibility store. */
  temporal: { store: number; visibility: number };
  /** Each API and worker process (DATABASE_POOL_MAX). */
  app: number;
}

/** Left for superusers, psql, the schema tool and this script. */
const RESERVED_CONNECTIONS = 10;

/**
 * Half of what the server allows to the Temporal processes, half to the API and worker processes (each at
 * most 10, pg's default). Without it seven Temporal processes (20 + 5 each by default) and the apps ask for
 * more than PostgreSQL's default 100 under load, and the server refuses the rest ("too many clients").
 */
export function connectionBudget(maxConnections: number, plan: ClusterPlan): ConnectionBudget {
  const half = Math.max(0, maxConnections - RESERVED_CONNECTIONS) / 2;
  const perTemporal = Math.max(3, Math.floor(half / plan.temporal.length));
  const visibility = Math.max(1, Math.floor(perTemporal / 4));
  const app = Math.max(2, Math.min(10, Math.floor(half / (plan.apis.length + plan.workers.length))));
  return { temporal: { store: perTemporal - visibility, visibility }, app };
}
