// The public HTTP API as a benchmark uses it: create connections, start a migration, poll it until it
// is final. Only the fields the benchmarks read are typed.
import { mib } from './format';
import { log } from './log';

export interface MigrationView {
  id: string;
  status: string;
  progress: {
    files_discovered: number;
    bytes_discovered: number;
    folders_discovered: number;
    files_copied: number;
    bytes_copied: number;
    files_skipped: number;
    files_failed: number;
    listing_complete: boolean;
    throughput_bytes_per_second: number;
  };
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const FINAL = new Set(['completed', 'completed_with_errors', 'failed', 'cancelled']);

export class ApiError extends Error {}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.apiKey}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const envelope = (await res.json()) as {
      status: string;
      data?: T;
      error?: { code: string; message: string; details?: string };
    };
    if (envelope.status !== 'success') {
      const e = envelope.error;
      throw new ApiError(
        `${method} ${path} → ${res.status} ${e?.code}: ${e?.message} ${e?.details ?? ''}`.trim(),
      );
    }
    return envelope.data as T;
  }

  async localConnection(name: string, root: string): Promise<string> {
    const c = await this.request<{ id: string }>('POST', '/v1/connections', {
      service: 'local',
      name,
      config: { root },
    });
    return c.id;
  }

  async cloudConnection(service: string, refreshToken: string): Promise<string> {
    const c = await this.request<{ id: string }>('POST', '/v1/connections', {
      service,
      refresh_token: refreshToken,
    });
    return c.id;
  }

  startMigration(
    source: { connection_id: string; path: string },
    destination: { connection_id: string; path: string },
    options?: Record<string, unknown>,
  ): Promise<MigrationView> {
    return this.request<MigrationView>('POST', '/v1/migrations', { source, destination, options });
  }

  getMigration(id: string): Promise<MigrationView> {
    return this.request<MigrationView>('GET', `/v1/migrations/${id}`);
  }

  /** Polls every `everyMs` until the status is final, logging progress every few seconds. */
  async waitForMigration(
    id: string,
    opts: { everyMs?: number; assertAlive?: () => void; timeoutMs?: number } = {},
  ): Promise<MigrationView> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
    let lastLog = 0;
    for (;;) {
      opts.assertAlive?.();
      const m = await this.getMigration(id);
      if (FINAL.has(m.status)) return m;
      if (Date.now() - lastLog >= 5000) {
        lastLog = Date.now();
        const p = m.progress;
        log(
          `  ${m.status}: ${p.files_copied}/${p.files_discovered}${p.listing_complete ? '' : '+'} files, ` +
            `${mib(p.bytes_copied)}, ${p.files_failed} failed`,
        );
      }
      if (Date.now() > deadline) throw new Error(`migration ${id} still ${m.status} after the timeout`);
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
    }
  }
}
