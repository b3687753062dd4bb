// The API's shapes the console reads (a subset of GET /v1/openapi.json).

export interface SessionInfo {
  user: { id: string; email: string; role: 'owner' | 'member'; has_password: boolean; created_at: string };
  account: { id: string; name: string; plan: string };
  scope: 'read' | 'write' | 'admin';
  csrf_token: string;
  expires_at: string;
}

export interface ApiKey {
  id: string;
  name: string;
  scope: 'read' | 'write' | 'admin';
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface Connection {
  id: string;
  service: 'local' | 'google_drive' | 'onedrive' | 'dropbox';
  name: string;
  status: 'active' | 'needs_reauth';
  created_at: string;
  updated_at: string;
}

export interface Progress {
  files_discovered: number;
  bytes_discovered: number;
  files_copied: number;
  bytes_copied: number;
  files_skipped: number;
  bytes_skipped: number;
  files_failed: number;
  listing_complete: boolean;
  throughput_bytes_per_second: number;
  eta_seconds: number | null;
}

export interface Migration {
  id: string;
  status: string;
  source: { connection_id: string; service: string; path: string };
  destination: { connection_id: string; service: string; path: string };
  options: { conflict: string; dry_run: boolean };
  progress: Progress;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface Item {
  path: string;
  destination_path: string | null;
  size: number | null;
  status: string;
  reason: string | null;
  updated_at: string;
}

export interface Sync {
  id: string;
  source: { connection_id: string; path: string };
  destination: { connection_id: string; path: string };
  schedule: { cron?: string; interval?: string };
  state: 'active' | 'paused';
  next_run_at: string | null;
  created_at: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  created_at: string;
}

export interface Delivery {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code?: number | null;
  last_error: string | null;
  created_at: string;
}

export interface User {
  id: string;
  email: string;
  role: 'owner' | 'member';
  has_password: boolean;
  created_at: string;
}

export const SERVICE_LABELS: Record<string, string> = {
  local: 'Local folder',
  google_drive: 'Google Drive',
  onedrive: 'OneDrive',
  dropbox: 'Dropbox',
};

/** GET /v1/migrations/{id}/report */
export interface MigrationReport {
  migration_id: string;
  status: string;
  totals: { files: number; bytes: number; copied: number; skipped: number; failed: number; deleted: number };
  by_status: Array<{ status: string; count: number; bytes: number }>;
  by_reason: Array<{
    status: string;
    reason: string | null;
    count: number;
    bytes: number;
    example: string | null;
  }>;
  largest_failures: Array<{
    path: string;
    destination_path: string | null;
    size: number | null;
    reason: string | null;
  }>;
}
