// The configuration files of the cluster's Temporal processes and of its Web UI. Each Temporal process gets
// a file of its own (config/<name>.yaml, chosen with --env <name>) naming only its own service and ports;
// they share PostgreSQL persistence, where membership meets (the cluster_membership table), and reach the
// frontends through the load balancer. JSON is YAML, so the files are written with JSON.stringify. Keys
// follow the server module's config/development-postgres12.yaml and docker/config_template.yaml (v1.29.1).
import { TEMPORAL_ROLES, type ClusterPlan, type ConnectionBudget, type TemporalProcess } from './plan';

export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** History shards: fixed when the cluster's database is created (docker-compose.yml sets the same). */
export const NUM_HISTORY_SHARDS = 16;
export const TEMPORAL_DATABASE = 'temporal';
export const VISIBILITY_DATABASE = 'temporal_visibility';

const sqlStore = (db: PostgresTarget, databaseName: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName,
    connectAddr: `${db.host}:${db.port}`,
    connectProtocol: 'tcp',
    user: db.user,
    password: db.password,
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

export function temporalConfig(
  plan: ClusterPlan,
  proc: TemporalProcess,
  db: PostgresTarget,
  dynamicConfigFile: string,
  pools: ConnectionBudget['temporal'] = { store: 20, visibility: 5 },
): Record<string, unknown> {
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        default: sqlStore(db, TEMPORAL_DATABASE, pools.store),
        visibility: sqlStore(db, VISIBILITY_DATABASE, pools.visibility),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${proc.metricsPort}`,
        },
      },
    },
    // Every role is named (membership tracks those it finds here), each with this process's ports for
    // its own role and the first process's for the others (not bound here: peers advertise their own).
    services: Object.fromEntries(
      TEMPORAL_ROLES.map((role) => {
        const p = role === proc.role ? proc : plan.temporal.find((t) => t.role === role)!;
        const rpc = { grpcPort: p.grpcPort, membershipPort: p.membershipPort, bindOnLocalHost: true };
        return [role, { rpc: { ...rpc, ...(p.httpPort ? { httpPort: p.httpPort } : {}) } }];
      }),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: plan.temporalAddress,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    // The internal worker service (system workflows) reaches the frontends as any client does.
    publicClient: { hostPort: plan.temporalAddress },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The Web UI server's config (ui-server's config/<env>.yaml keys). */
export function uiConfig(
  plan: ClusterPlan,
  namespace: string,
  codecEndpoint: string | undefined,
): Record<string, unknown> {
  return {
    temporalGrpcAddress: plan.temporalAddress,
    host: '127.0.0.1',
    port: plan.uiPort,
    enableUi: true,
    defaultNamespace: namespace,
    cors: { allowOrigins: [`http://localhost:${plan.uiPort}`, `http://127.0.0.1:${plan.uiPort}`] },
    ...(codecEndpoint ? { codec: { endpoint: codecEndpoint } } : {}),
  };
}
