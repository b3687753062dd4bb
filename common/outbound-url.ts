// Where the server may send requests on a user's behalf (webhooks): https only, and never to private,
// loopback, link-local, CGNAT, multicast or cloud-metadata addresses — checked on the URL, and again
// on every address a name resolves to, right where the connection is made (`guardedLookup`), so a DNS
// answer that changes between check and connect (rebinding) cannot slip through.
// MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE (development and tests) lets plain http and private or loopback
// targets through; link-local and metadata addresses stay refused even then.
import dns from 'node:dns';
import net from 'node:net';

export class OutboundUrlError extends Error {}

export interface OutboundPolicy {
  /** Development and tests only: allow http:// and private or loopback targets. */
  allowPrivate: boolean;
}

/** How an address may be used: anywhere public, only with allowPrivate, or never. */
export type AddressClass = 'public' | 'private' | 'forbidden';

type Range = [prefix: number[], bits: number, cls: Exclude<AddressClass, 'public'>, what: string];

const V4: Range[] = [
  [[0], 8, 'private', 'an unspecified ("this network") address'],
  [[10], 8, 'private', 'a private address'],
  [[100, 100, 100, 200], 32, 'forbidden', 'a cloud metadata address'],
  [[100, 64], 10, 'private', 'a shared (CGNAT) address'],
  [[127], 8, 'private', 'a loopback address'],
  [[169, 254], 16, 'forbidden', 'a link-local or cloud metadata address'],
  [[172, 16], 12, 'private', 'a private address'],
  [[192, 0, 0], 24, 'private', 'a reserved address'],
  [[192, 0, 2], 24, 'private', 'a documentation address'],
  [[192, 88, 99], 24, 'private', 'a reserved address'],
  [[192, 168], 16, 'private', 'a private address'],
  [[198, 18], 15, 'private', 'a benchmarking address'],
  [[198, 51, 100], 24, 'private', 'a documentation address'],
  [[203, 0, 113], 24, 'private', 'a documentation address'],
  [[224], 4, 'forbidden', 'a multicast address'],
  [[240], 4, 'private', 'a reserved address'],
];

const V6: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128, 'private', 'the unspecified address'],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'private', 'a loopback address'],
  // fd00:ec2::254, the AWS metadata service over IPv6 (inside fc00::/7, so listed first).
  [
    [0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54],
    128,
    'forbidden',
    'a cloud metadata address',
  ],
  [[0xfe, 0x80], 10, 'forbidden', 'a link-local address'],
  [[0xfe, 0xc0], 10, 'private', 'a site-local address'],
  [[0xfc], 7, 'private', 'a unique local (private) address'],
  [[0xff], 8, 'forbidden', 'a multicast address'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'private', 'a documentation address'],
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64, 'private', 'a discard-only address'],
];

function inRange(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(ip: string): number[] | undefined {
  if (net.isIPv4(ip)) return ip.split('.').map(Number);
  return undefined;
}

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined. */
function parseV6(ip: string): number[] | undefined {
  let text = ip.replace(/%.*$/, '');
  if (!net.isIPv6(text)) return undefined;
  // A dotted IPv4 tail ("::ffff:10.0.0.1") becomes its two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    if (!v4) return undefined;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    text = `${text.slice(0, -dotted[1]!.length)}${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, undefined];
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function classifyV4(bytes: number[]): { cls: AddressClass; what: string } {
  for (const [prefix, bits, cls, what] of V4) if (inRange(bytes, prefix, bits)) return { cls, what };
  return { cls: 'public', what: 'a public address' };
}

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4, Teredo). */
function embeddedV4(b: number[]): number[] | undefined {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 15)) return b.slice(12); // ::a.b.c.d (deprecated "compatible")
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6); // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) return b.slice(12).map((x) => x ^ 0xff); // Teredo
  return undefined;
}

/** Classifies an IP address (v4 or v6 text); anything that is not an address is forbidden. */
export function classifyAddress(ip: string): { cls: AddressClass; what: string } {
  const v4 = parseV4(ip);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(ip);
  if (!v6) return { cls: 'forbidden', what: 'not an IP address' };
  for (const [prefix, bits, cls, what] of V6) if (inRange(v6, prefix, bits)) return { cls, what };
  const inner = embeddedV4(v6);
  if (inner) {
    const c = classifyV4(inner);
    if (c.cls !== 'public') return { cls: c.cls, what: `${c.what} (inside an IPv6 address)` };
  }
  return { cls: 'public', what: 'a public address' };
}

/**
 * Throws OutboundUrlError when the policy refuses this address. The message says what kind of address
 * it is, never the address: one a name resolved to tells about the server's network.
 */
export function checkAddress(ip: string, policy: OutboundPolicy, resolved = true): void {
  const { cls, what } = classifyAddress(ip);
  if (cls === 'public' || (cls === 'private' && policy.allowPrivate)) return;
  throw new OutboundUrlError(`${resolved ? 'resolves to' : 'is'} ${what}, which webhooks may not be sent to`);
}

export interface CheckedUrl {
  url: URL;
  /** The host without IPv6 brackets. */
  hostname: string;
  /** The host is an IP address (then no DNS lookup happens). */
  isIp: boolean;
}

/** Checks what can be checked without DNS: scheme, credentials, and an IP host's address. */
export function checkUrlSyntax(text: string, policy: OutboundPolicy): CheckedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundUrlError('is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivate)) {
    throw new OutboundUrlError('must be an https:// URL');
  }
  if (url.username || url.password) throw new OutboundUrlError('must not contain a user name or password');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) throw new OutboundUrlError('has no host');
  const isIp = net.isIP(hostname) !== 0;
  if (isIp) checkAddress(hostname, policy, false);
  return { url, hostname, isIp };
}

type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

const lookupAll: LookupAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * The whole check, as at registration: the URL, then every address its host resolves to (one
 * refused address refuses the URL, as a connection could go to any of them).
 */
export async function checkOutboundUrl(
  text: string,
  policy: OutboundPolicy,
  lookup: LookupAll = lookupAll,
): Promise<CheckedUrl> {
  const checked = checkUrlSyntax(text, policy);
  if (checked.isIp) return checked;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(checked.hostname);
  } catch {
    throw new OutboundUrlError(`has a host name that does not resolve (${checked.hostname})`);
  }
  if (addresses.length === 0) throw new OutboundUrlError(`has a host name that does not resolve`);
  for (const { address } of addresses) checkAddress(address, policy);
  return checked;
}

/**
 * A `lookup` for http(s).request: resolves as Node would, then refuses the connection unless every
 * address passes the policy. The socket connects only to addresses this function returned.
 */
export function guardedLookup(policy: OutboundPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      try {
        if (list.length === 0) throw new OutboundUrlError(`${hostname} does not resolve`);
        for (const { address } of list) checkAddress(address, policy);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, '', 0);
      }
      if ((options as dns.LookupOptions).all) {
        (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      } else {
        callback(null, list[0]!.address, list[0]!.family);
      }
    });
  };
}
