// A free TCP port on the loopback interface, asked of the kernel (bind to 0, read, close): for a child
// that wants an address rather than a listener (the Temporal SDK's metrics exporter, benchmark stacks).
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
