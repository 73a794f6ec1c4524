import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type FetchPolicy, FetchRefusedError } from './policy.js';

/**
 * A `lookup` for the socket: resolves the host, checks every address it resolves to against the policy and
 * hands the socket only checked addresses. The check happens where the connection is made, so there is no
 * window between checking a name and connecting to it (DNS rebinding). A host that resolves to any refused
 * address is refused whole: a name that mixes public and private answers is not one to trust.
 */
export type Resolver = (
  hostname: string,
  options: { all: true; family?: number | string; hints?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export function guardedLookup(
  policy: FetchPolicy,
  onRefused: (e: FetchRefusedError) => void,
  resolve: Resolver = dnsLookup as Resolver,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err || addresses.length === 0) {
        const none = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
        (callback as (e: Error) => void)(err ?? none);
        return;
      }
      for (const a of addresses) {
        const why = policy.refusal(hostname, a.address);
        if (why) {
          const refused = new FetchRefusedError(why, hostname, a.address);
          onRefused(refused);
          (callback as (e: Error) => void)(refused);
          return;
        }
      }
      if (options.all) {
        (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      } else {
        const first = addresses[0]!;
        (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
      }
    });
  };
}
