// Outbound safety of webhook URLs: address classes (IPv4, IPv6, IPv4 inside IPv6), URL checks with and
// without MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE, and the connect-time lookup guard with real DNS and HTTP.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkOutboundUrl,
  checkUrlSyntax,
  classifyAddress,
  guardedLookup,
  OutboundUrlError,
} from '../../common/outbound-url';
import { describeSendError, postJson } from '../../activities/webhooks';

const strict = { allowPrivate: false };
const dev = { allowPrivate: true };

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'private'],
    ['127.255.0.9', 'private'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.1.1', 'private'],
    ['100.127.255.255', 'private'],
    ['0.0.0.0', 'private'],
    ['::', 'private'],
    ['::1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['2001:db8::1', 'private'],
    ['::ffff:127.0.0.1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['169.254.169.254', 'forbidden'],
    ['169.254.0.1', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fe80::1%eth0', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:a9fe:a9fe', 'forbidden'],
    ['2002:a9fe:a9fe::1', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['ff02::1', 'forbidden'],
    ['not-an-ip', 'forbidden'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip).cls).toBe(cls);
  });
});

describe('checkUrlSyntax and checkOutboundUrl', () => {
  const refused = (url: string, policy = strict) => {
    expect(() => checkUrlSyntax(url, policy)).toThrow(OutboundUrlError);
  };

  it('wants https with no credentials', () => {
    refused('http://93.184.216.34/hook');
    refused('ftp://example.com/');
    refused('https://user:pw@93.184.216.34/');
    refused('not a url');
    expect(checkUrlSyntax('https://93.184.216.34/hook', strict).isIp).toBe(true);
  });

  it('refuses private, loopback and metadata IP hosts; allowPrivate lets the private ones through', () => {
    refused('https://127.0.0.1/hook');
    refused('https://[::1]/hook');
    refused('https://[::ffff:127.0.0.1]/hook');
    refused('https://10.0.0.5/hook');
    expect(checkUrlSyntax('http://127.0.0.1:8080/hook', dev).hostname).toBe('127.0.0.1');
    expect(checkUrlSyntax('http://[::1]:8080/hook', dev).hostname).toBe('::1');
    refused('http://169.254.169.254/latest/meta-data', dev);
    refused('http://[fd00:ec2::254]/', dev);
    refused('http://[::ffff:169.254.169.254]/', dev);
  });

  it('checks every address a name resolves to', async () => {
    const resolvesTo =
      (...ips: string[]) =>
      async () =>
        ips.map((address) => ({ address, family: 4 }));
    await expect(
      checkOutboundUrl('https://hooks.example/', strict, resolvesTo('93.184.216.34')),
    ).resolves.toBeDefined();
    // What kind of address, never which: the answer must not map the server's network.
    await expect(
      checkOutboundUrl('https://hooks.example/', strict, resolvesTo('93.184.216.34', '10.0.0.1')),
    ).rejects.toThrow(/^resolves to a private address, which webhooks may not be sent to$/);
    await expect(
      checkOutboundUrl('https://hooks.example/', dev, resolvesTo('169.254.169.254')),
    ).rejects.toThrow(/metadata/);
    await expect(
      checkOutboundUrl('https://hooks.example/', strict, async () => {
        throw new Error('ENOTFOUND');
      }),
    ).rejects.toThrow(/does not resolve/);
    // Real DNS: "localhost" is loopback.
    await expect(checkOutboundUrl('https://localhost/', strict)).rejects.toThrow(/loopback/);
  });
});

describe('what a refused or failed target says', () => {
  it('names the kind of address, not the address', async () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(message(() => checkUrlSyntax('https://10.0.0.5/hook', strict))).toBe(
      'is a private address, which webhooks may not be sent to',
    );
    const resolved = await checkOutboundUrl('https://internal.example/', strict, async () => [
      { address: '172.16.9.9', family: 4 },
    ]).catch((err: Error) => err.message);
    expect(resolved).toBe('resolves to a private address, which webhooks may not be sent to');
    const local = await checkOutboundUrl('https://localhost/', strict).catch((err: Error) => err.message);
    expect(local).toMatch(/^resolves to a loopback address/);
    expect(local).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('records a failed connection without the address it went to', async () => {
    // A port nothing listens on: Node's own message would be "connect ECONNREFUSED 127.0.0.1:<port>".
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const err = await postJson(`http://127.0.0.1:${port}/hook`, {}, '{}', {
      policy: dev,
      timeoutMs: 5000,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain('127.0.0.1');
    expect(describeSendError(err)).toBe('The receiver refused the connection');
    expect(describeSendError(new Error('connect EHOSTDOWN 10.1.2.3:443 via fd00::1'))).toBe(
      'connect EHOSTDOWN <address> via <address>',
    );
  });
});

describe('guardedLookup', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (lookup: ReturnType<typeof guardedLookup>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: 'localhost', port, path: '/', lookup, family: 4, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });

  it('refuses the connection when the name resolves to a refused address, at connect time', async () => {
    await expect(get(guardedLookup(strict))).rejects.toThrow(/loopback/);
    await expect(get(guardedLookup(dev))).resolves.toBe(200);
  });
});
