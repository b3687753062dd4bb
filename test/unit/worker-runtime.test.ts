// The worker's SDK runtime: when the loopback port picked for the SDK's metrics exporter is taken by the
// time the runtime binds it, the worker still starts (without the SDK's metrics) and says why.
import net from 'node:net';
import { Runtime } from '@temporalio/worker';
import { installSdkRuntime } from '../../worker/runtime';
import { freePort } from '../../common/free-port';

it('installs the runtime without the exporter when its port is taken', async () => {
  const port = await freePort();
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  const warnings: string[] = [];
  const logger = { warn: (_: unknown, message: string) => warnings.push(message) };
  try {
    expect(installSdkRuntime({ logger: logger as never, level: 'info', metricsPort: port })).toBe(false);
    expect(warnings).toEqual([expect.stringContaining('metrics exporter could not start')]);
    expect(Runtime.instance()).toBeDefined();
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  }
});
