// Demo mode (`npm start -- --demo` or MIGRATECLOUDS_DEMO=1): the three provider emulators with sample
// trees, and the provider settings that point the worker and API at them.
//
// The emulators run inside the supervisor rather than as a supervised child: their files and tokens
// live in memory, and the demo connections hold tokens granted by this very emulator instance. A
// child restarted after a crash would come back empty, with every token dead, while the supervisor
// carried on as if nothing happened; in-process they live exactly as long as the supervisor that
// granted the tokens, and a crash takes everything down loudly.
import type { CloudService } from '../../connectors/providers';
import { EMULATORS, type EmulatorSpec, type RunningEmulator } from '../../emulators';
import { demoSeed, describeSeed, type SampleSize } from './demo-seed';

export interface DemoEmulator {
  service: CloudService;
  label: string;
  url: string;
  emulator: RunningEmulator;
  sample: SampleSize;
}

export interface DemoEmulators {
  emulators: DemoEmulator[];
  /** Provider settings for the worker and API (common/config.ts names). */
  env: Record<string, string>;
  /** Fills the emulators with the samples (seconds of CPU: every byte is generated); later calls do nothing. */
  seed(): void;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Port per service; otherwise the spec's env variable (e.g. EMULATOR_GOOGLE_DRIVE_PORT), else its default. */
  ports?: Partial<Record<CloudService, number>>;
  env?: NodeJS.ProcessEnv;
}

export const isDemoMode = (argv: string[], config: { MIGRATECLOUDS_DEMO: boolean }): boolean =>
  argv.includes('--demo') || config.MIGRATECLOUDS_DEMO;

/** Listens on every emulator's port (or fails naming the one in use); `seed()` fills them afterwards. */
export async function startDemoEmulators(opts: DemoOptions = {}): Promise<DemoEmulators> {
  const env = opts.env ?? process.env;
  const started: DemoEmulator[] = [];
  const close = async () => {
    await Promise.all(started.map((d) => d.emulator.close()));
  };
  try {
    for (const spec of EMULATORS) {
      const port = opts.ports?.[spec.service] ?? Number(env[spec.env] || spec.defaultPort);
      const emulator = await listenOn(spec, port);
      const seed = demoSeed(spec.service);
      started.push({
        service: spec.service,
        label: spec.label,
        url: emulator.url,
        emulator,
        sample: describeSeed(seed),
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  let seeded = false;
  const seed = () => {
    if (!seeded) for (const d of started) d.emulator.seed(demoSeed(d.service));
    seeded = true;
  };
  // The emulators set no request limit: unless told otherwise, demo connections are not paced.
  const unpaced = Object.fromEntries(
    ['GOOGLE_DRIVE', 'ONEDRIVE', 'DROPBOX'].map((s) => [
      `${s}_REQUESTS_PER_SECOND`,
      env[`${s}_REQUESTS_PER_SECOND`] ?? '0',
    ]),
  );
  return { emulators: started, env: { ...unpaced, ...providerEnv(started) }, seed, close };
}

async function listenOn(spec: EmulatorSpec, port: number): Promise<RunningEmulator> {
  try {
    return await spec.start({ port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new Error(
      `demo mode: port ${port} for the ${spec.label} emulator is already in use ` +
        `(stop what holds it, or pick another port with ${spec.env}=…)`,
    );
  }
}

/** The settings common/config.ts reads, pointing each service at its emulator with the emulator's OAuth app. */
export function providerEnv(
  emulators: Array<Pick<DemoEmulator, 'service' | 'url' | 'emulator'>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { service, url, emulator } of emulators) {
    const { clientId, clientSecret } = emulator.defaultClient;
    if (service === 'google_drive') {
      Object.assign(env, {
        GOOGLE_DRIVE_CLIENT_ID: clientId,
        GOOGLE_DRIVE_CLIENT_SECRET: clientSecret,
        GOOGLE_DRIVE_API_URL: url,
        GOOGLE_DRIVE_TOKEN_URL: `${url}/token`,
        GOOGLE_DRIVE_AUTH_URL: `${url}/o/oauth2/v2/auth`,
      });
    } else if (service === 'onedrive') {
      Object.assign(env, {
        ONEDRIVE_CLIENT_ID: clientId,
        ONEDRIVE_CLIENT_SECRET: clientSecret,
        ONEDRIVE_API_URL: `${url}/v1.0`,
        ONEDRIVE_TOKEN_URL: `${url}/common/oauth2/v2.0/token`,
        ONEDRIVE_AUTH_URL: `${url}/common/oauth2/v2.0/authorize`,
      });
    } else {
      Object.assign(env, {
        DROPBOX_CLIENT_ID: clientId,
        DROPBOX_CLIENT_SECRET: clientSecret,
        DROPBOX_API_URL: url,
        DROPBOX_CONTENT_URL: url,
        DROPBOX_TOKEN_URL: `${url}/oauth2/token`,
        DROPBOX_AUTH_URL: `${url}/oauth2/authorize`,
      });
    }
  }
  return env;
}
