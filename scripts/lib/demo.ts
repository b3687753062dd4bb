// Demo mode (`npm start -- --demo` or MIGRATECLOUDS_DEMO=1): the three provider emulators with sample
// trees, and the provider settings that point the worker and API at them.
//
// The emulators run inside the supervisor rather than as a supervised child: their files and tokens
// live in memory, and the demo connections hold tokens granted by this very emulator instance. A
// child restarted after a crash would come back empty, with every token dead, while the supervisor
// carried on as if nothing happened; in-process they live exactly as long as the supervisor that
// granted the tokens, and a crash takes everything down loudly.
import { serviceDefinition } from '../../connectors';
import type { ServiceName } from '../../contract';
import { EMULATORS, type EmulatorSpec, type RunningEmulator } from '../../emulators';
import { demoSeed, describeSeed, type SampleSize } from './demo-seed';

export interface DemoEmulator {
  service: ServiceName;
  label: string;
  url: string;
  emulator: RunningEmulator;
  sample: SampleSize;
}

export interface DemoEmulators {
  emulators: DemoEmulator[];
  /** Service variables for the worker and API (as each service module names them). */
  env: Record<string, string>;
  /** Fills the emulators with the samples (seconds of CPU: every byte is generated); later calls do nothing. */
  seed(): void;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Port per service; otherwise the spec's env variable (e.g. EMULATOR_GOOGLE_DRIVE_PORT), else its default. */
  ports?: Partial<Record<ServiceName, number>>;
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
  const rateVariables = started.flatMap((d) =>
    Object.keys(serviceDefinition(d.service).variables.shape).filter((v) =>
      v.endsWith('_REQUESTS_PER_SECOND'),
    ),
  );
  const unpaced = Object.fromEntries(rateVariables.map((v) => [v, env[v] ?? '0']));
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

/** The variables pointing each service at its emulator, with the emulator's OAuth app (each service declares them). */
export function providerEnv(
  emulators: Array<Pick<DemoEmulator, 'service' | 'url' | 'emulator'>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { service, url, emulator } of emulators) {
    Object.assign(env, serviceDefinition(service).emulatorVariables?.(url, emulator.defaultClient));
  }
  return env;
}
