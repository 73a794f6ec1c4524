import { isIPv6 } from 'node:net';

export interface ListenAddress {
  /** Undefined: every interface. */
  host?: string;
  port: number;
}

const USAGE = 'expected [host]:port such as ":8080", "127.0.0.1:8080", "0.0.0.0:8080" or "[::1]:8080"';

/** Parses an `--http` address: ":8080" (all interfaces), "host:8080", "[v6]:8080" or a bare "8080". */
export function parseListenAddress(addr: string): ListenAddress {
  const s = addr.trim();
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(s) ?? /^()()(\d{1,5})$/.exec(s);
  if (!m) throw new Error(`HTTP address "${addr}": ${USAGE}`);
  const port = Number(m[3]);
  if (port > 65_535) throw new Error(`HTTP address "${addr}": port ${port} is above 65535`);
  if (m[1] !== undefined && m[1] !== '' && !isIPv6(m[1])) {
    throw new Error(`HTTP address "${addr}": "${m[1]}" in brackets is not an IPv6 address`);
  }
  const host = m[1] || m[2] || undefined;
  return { host, port };
}

/** A URL a local client can use to reach a server bound to `host` (wildcards become loopback). */
export function localUrl(host: string | undefined, port: number): string {
  if (host === undefined || host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return isIPv6(host) ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}
