// The emulators' control API (emulators/common/control.ts), over HTTP like any client would use it.
export interface CounterSnapshot {
  requests: Record<string, number>;
  total: number;
  throttled: number;
  server_errors: number;
  resets: number;
  bytes_in: number;
  bytes_out: number;
}

/** Limits the emulator to `perSecond` requests/s (0 = unlimited) and zeroes its counters. */
export function setRateLimit(url: string, perSecond: number): Promise<void> {
  return setFaults(url, { rateLimitPerSecond: perSecond });
}

/** Sets fault settings (emulators/common/faults.ts; the others unchanged) and zeroes the counters. */
export async function setFaults(url: string, settings: Record<string, number>): Promise<void> {
  const put = await fetch(`${url}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  if (!put.ok) throw new Error(`PUT ${url}/_emulator/faults → ${put.status}`);
  const del = await fetch(`${url}/_emulator/counters`, { method: 'DELETE' });
  if (!del.ok) throw new Error(`DELETE ${url}/_emulator/counters → ${del.status}`);
}

export async function emulatorCounters(url: string): Promise<CounterSnapshot> {
  const res = await fetch(`${url}/_emulator/counters`);
  if (!res.ok) throw new Error(`GET ${url}/_emulator/counters → ${res.status}`);
  return (await res.json()) as CounterSnapshot;
}
