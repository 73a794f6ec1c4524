import ipaddr from 'ipaddr.js';
import { CrierError } from '../core/errors.js';

/**
 * The address rules of every outbound read of content (sources, redirects, full-text pages, images,
 * withdrawal checks; the platform APIs are not content and do not go through here).
 *
 * - Only `http:` and `https:`.
 * - Every address a host name resolves to must be a public unicast address: loopback, private (RFC 1918),
 *   carrier-grade NAT, link-local (cloud metadata at 169.254.169.254), unique-local, multicast, unspecified,
 *   broadcast, reserved and documentation ranges are refused, and so are IPv6 forms that carry an IPv4
 *   address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), whatever they carry.
 * - An operator allows exceptions by host name, address or CIDR block: `fetch.allow` in the configuration
 *   or `CRIER_FETCH_ALLOW=host,10.0.0.0/8,...` in the environment. There is no switch that turns this off.
 *
 * IP range names come from ipaddr.js (IANA special-purpose registries); numeric host tricks (`2130706433`,
 * `0x7f.1`, `017700000001`) are already normalised to dotted quads by the WHATWG URL parser.
 */

export const ALLOW_ENV = 'CRIER_FETCH_ALLOW';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** One entry of the allow-list. */
export type AllowRule =
  | { kind: 'host'; host: string; text: string }
  | { kind: 'suffix'; suffix: string; text: string }
  | { kind: 'cidr'; range: [Address, number]; text: string };

/** Parses one allow-list entry; throws an Error naming the entry when it is none of host, address, CIDR. */
export function parseAllowEntry(entry: string): AllowRule {
  const text = entry.trim();
  if (!text) throw new Error('an empty entry');
  const quoted = JSON.stringify(text);
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  if (/^[0-9a-f:.]+\/\d+$/i.test(bare)) {
    const [net] = bare.split('/');
    // "10/8" reads as 0.0.0.10/8 to ipaddr.js: an IPv4 block is written with four numbers.
    const v4 = !net!.includes(':');
    try {
      if (v4 && !ipaddr.IPv4.isValidFourPartDecimal(net!)) throw new Error('not four numbers');
      return { kind: 'cidr', range: ipaddr.parseCIDR(bare), text };
    } catch {
      throw new Error(`${quoted} is not a CIDR block such as 10.0.0.0/8 or fd00::/8`);
    }
  }
  if (ipaddr.isValid(bare) && (bare.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(bare))) {
    const a = ipaddr.parse(bare);
    return { kind: 'cidr', range: [a, a.kind() === 'ipv4' ? 32 : 128], text };
  }
  const host = text.toLowerCase().replace(/\.$/, '');
  if (/^\*\.[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(host)) return { kind: 'suffix', suffix: host.slice(1), text };
  // A name whose last label is a number is an IPv4 address to a URL parser (`999.1.1.1`, `127.1`), never a host.
  const numeric = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/.test(host);
  if (!numeric && /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/.test(host) && host.length <= 253)
    return { kind: 'host', host, text };
  throw new Error(`${quoted} is not a host name, an IP address or a CIDR block`);
}

/** Parses a comma-separated allow-list (the environment variable's form). */
export function parseAllowList(value: string | undefined, origin = ALLOW_ENV): AllowRule[] {
  if (!value?.trim()) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      try {
        return parseAllowEntry(s);
      } catch (e) {
        throw new FetchPolicyError(`${origin}: ${(e as Error).message}`);
      }
    });
}

/** A configuration mistake in the allow-list (fetch.allow, CRIER_FETCH_ALLOW): one line, exit 2. */
export class FetchPolicyError extends CrierError {
  constructor(message: string) {
    super('fetch-policy', message);
    this.name = 'FetchPolicyError';
  }
}

/** Why an address is not public, in the words of the refusal (undefined: a public unicast address). */
export function nonPublicRange(address: string): string | undefined {
  let a: Address;
  try {
    a = ipaddr.parse(address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''));
  } catch {
    return 'not an IP address';
  }
  const range = a.range();
  if (a.kind() === 'ipv4') return range === 'unicast' ? undefined : describeRange(range);
  const v6 = a as ipaddr.IPv6;
  if (range !== 'unicast') return describeRange(range);
  const parts = v6.parts;
  // ::a.b.c.d (IPv4-compatible, deprecated) and everything outside 2000::/3 (global unicast) is not public.
  if (parts.slice(0, 6).every((p) => p === 0)) return 'IPv4-compatible IPv6';
  if ((parts[0]! & 0xe000) !== 0x2000) return 'reserved IPv6';
  return undefined;
}

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (cloud metadata lives here)',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique-local',
  ipv4Mapped: 'IPv4-mapped IPv6',
  rfc6145: 'IPv4-translated IPv6',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  benchmarking: 'benchmarking',
  amt: 'AMT',
  as112: 'AS112',
  deprecated: 'deprecated',
  orchid2: 'ORCHIDv2',
};

function describeRange(range: string): string {
  return RANGE_WORDS[range] ?? range;
}

/** A read the policy refused: the message names the host, the address and how to allow it. */
export class FetchRefusedError extends Error {
  readonly host: string;
  readonly address?: string;
  constructor(message: string, host: string, address?: string) {
    super(message);
    this.name = 'FetchRefusedError';
    this.host = host;
    this.address = address;
  }
}

export class FetchPolicy {
  readonly rules: readonly AllowRule[];

  constructor(rules: readonly AllowRule[] = []) {
    this.rules = rules;
  }

  /** True when the operator allowed this host name (exactly, or by a `*.suffix` entry). */
  hostAllowed(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.rules.some(
      (r) => (r.kind === 'host' && r.host === h) || (r.kind === 'suffix' && h.endsWith(r.suffix)),
    );
  }

  addressAllowed(address: string): boolean {
    let a: Address;
    try {
      a = ipaddr.process(address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, ''));
    } catch {
      return false;
    }
    return this.rules.some((r) => {
      if (r.kind !== 'cidr') return false;
      const [net, bits] = r.range;
      if (net.kind() !== a.kind()) {
        // 127.0.0.1 allowed also allows ::ffff:127.0.0.1 (ipaddr.process unmaps), nothing more.
        return false;
      }
      return a.match(net as never, bits);
    });
  }

  /**
   * Checks one address `host` resolved to (or the literal address in the URL). Returns the refusal
   * message, or undefined when the read may go there.
   */
  refusal(host: string, address: string): string | undefined {
    if (this.hostAllowed(host) || this.addressAllowed(address)) return undefined;
    const why = nonPublicRange(address);
    if (!why) return undefined;
    const bareHost = host.replace(/^\[(.*)\]$/, '$1');
    const literal = bareHost === address;
    const named = literal ? `address ${address}` : `host ${bareHost} resolves to ${address}`;
    const entry = literal ? `"${address}"` : `"${bareHost}" or "${address}"`;
    return `refused: ${named} (${why}), not a public address; to allow it, add ${entry} to fetch.allow in the config or to ${ALLOW_ENV}`;
  }

  /** Throws FetchRefusedError for an address the policy refuses. */
  checkAddress(host: string, address: string): void {
    const why = this.refusal(host, address);
    if (why) throw new FetchRefusedError(why, host, address);
  }

  /**
   * Checks what can be checked before any lookup: the scheme and a literal IP host. Host names are checked
   * when they resolve (see `guardedLookup`), so the address checked is the address connected to.
   */
  checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new FetchRefusedError(
        `refused to fetch ${url.protocol} URL ${url.href.slice(0, 200)}: only http and https are read`,
        url.hostname,
      );
    if (url.username || url.password) {
      // Credentials in a content URL would be sent to whoever the page points at.
      throw new FetchRefusedError(
        `refused to fetch ${url.host}: the URL carries a user name or password`,
        url.host,
      );
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValid(host) && (host.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(host)))
      this.checkAddress(host, host);
  }
}

/** The operator's allow-list: config entries plus `CRIER_FETCH_ALLOW` (comma-separated). */
export function fetchPolicy(
  opts: { allow?: readonly string[]; env?: Record<string, string | undefined> } = {},
): FetchPolicy {
  const fromConfig = (opts.allow ?? []).map((s) => {
    try {
      return parseAllowEntry(s);
    } catch (e) {
      throw new FetchPolicyError(`fetch.allow: ${(e as Error).message}`);
    }
  });
  const env = opts.env ?? process.env;
  return new FetchPolicy([...fromConfig, ...parseAllowList(env[ALLOW_ENV])]);
}
