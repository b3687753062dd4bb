// The load balancer of `npm run cluster` (HAProxy from Debian's packages): the API replicas behind PORT
// (HTTP, health-checked on /healthz, client addresses passed on in X-Forwarded-For), the Temporal
// frontends behind TEMPORAL_ADDRESS (TCP: gRPC streams and long polls pass through untouched, each
// client connection to one frontend), and the API replicas' codec endpoints behind TEMPORAL_CODEC_PORT.
import type { ClusterPlan } from './plan';

/** Long polls last about a minute; a gRPC connection lives as long as its client. */
const STREAM_TIMEOUT = '1h';

export function haproxyConfig(plan: ClusterPlan): string {
  const bind = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  const frontends = plan.temporal.filter((p) => p.role === 'frontend');
  const lines = [
    '# Written by `npm run cluster` (scripts/lib/cluster/haproxy.ts) at each start: edits are lost.',
    'global',
    '  maxconn 4096',
    'defaults',
    '  timeout connect 5s',
    `  timeout client ${STREAM_TIMEOUT}`,
    `  timeout server ${STREAM_TIMEOUT}`,
    '  timeout check 3s',
    '',
    'frontend api',
    '  mode http',
    `  bind ${bind(plan.apiHost, plan.apiPort)}`,
    '  option forwardfor',
    '  default_backend api',
    'backend api',
    '  mode http',
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    // A replica that stops answering is taken out within seconds; requests retry on another one.
    '  retries 2',
    '  option redispatch',
    ...plan.apis.map((a) => `  server ${a.name} 127.0.0.1:${a.port} check inter 2s fall 2 rise 1`),
    '',
    'frontend temporal',
    '  mode tcp',
    `  bind ${plan.temporalAddress}`,
    '  default_backend temporal',
    'backend temporal',
    '  mode tcp',
    '  balance roundrobin',
    ...frontends.map((f) => `  server ${f.name} 127.0.0.1:${f.grpcPort} check inter 2s fall 2 rise 1`),
    '',
    'frontend codec',
    '  mode http',
    `  bind 127.0.0.1:${plan.codecPort}`,
    '  default_backend codec',
    'backend codec',
    '  mode http',
    '  balance roundrobin',
    ...plan.apis.map((a) => `  server ${a.name} 127.0.0.1:${a.codecPort} check inter 2s fall 2 rise 1`),
    '',
    'frontend stats',
    '  mode http',
    `  bind 127.0.0.1:${plan.statsPort}`,
    '  stats enable',
    '  stats uri /',
    '',
  ];
  return lines.join('\n');
}
