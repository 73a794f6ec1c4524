import { describe, expect, it } from 'vitest';
import { guardedLookup } from '../../src/fetch/lookup.js';
import {
  FetchPolicy,
  FetchPolicyError,
  FetchRefusedError,
  fetchPolicy,
  nonPublicRange,
  parseAllowEntry,
} from '../../src/fetch/policy.js';

/** The fetch policy's address rules, without a network. */

describe('nonPublicRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::7f00:1', 'IPv4-compatible'],
    ['64:ff9b::a9fe:a9fe', 'NAT64'],
    ['64:ff9b:1::1', 'NAT64'],
    ['2002:7f00:1::1', '6to4'],
    ['2001::1', 'Teredo'],
    ['2001:db8::1', 'reserved'],
    ['[::1]', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
  ])('%s is refused as %s', (address, words) => {
    expect(nonPublicRange(address)).toContain(words);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450::1'])(
    '%s is public',
    (address) => {
      expect(nonPublicRange(address)).toBeUndefined();
    },
  );
});

describe('FetchPolicy.checkUrl', () => {
  const policy = new FetchPolicy();
  const refusal = (url: string) => {
    try {
      policy.checkUrl(new URL(url));
    } catch (e) {
      expect(e).toBeInstanceOf(FetchRefusedError);
      return (e as Error).message;
    }
    return undefined;
  };

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[::1]:8080/x', '::1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://10.0.0.5/', '10.0.0.5'],
    ['http://0.0.0.0:6379/', '0.0.0.0'],
  ])('a literal address in %s is refused, naming %s and how to allow it', (url, address) => {
    const msg = refusal(url);
    expect(msg).toContain(address);
    expect(msg).toContain('fetch.allow');
    expect(msg).toContain('CRIER_FETCH_ALLOW');
    expect(msg).not.toContain('\n');
  });

  it.each(['file:///etc/passwd', 'ftp://example.org/x', 'gopher://example.org/', 'data:text/html,hi'])(
    '%s: only http and https',
    (url) => {
      expect(refusal(url)).toMatch(/only http and https/);
    },
  );

  it('a URL with credentials is refused; a public literal address and host names pass (names are checked when they resolve)', () => {
    expect(refusal('http://user:pw@example.org/')).toMatch(/user name or password/);
    expect(refusal('http://93.184.216.34/a')).toBeUndefined();
    expect(refusal('https://example.org/a')).toBeUndefined();
  });
});

describe('the allow-list', () => {
  it('parses hosts, *.suffixes, addresses and CIDR blocks; anything else is an error naming it', () => {
    expect(parseAllowEntry('intranet.example')).toMatchObject({ kind: 'host', host: 'intranet.example' });
    expect(parseAllowEntry('*.corp.example')).toMatchObject({ kind: 'suffix', suffix: '.corp.example' });
    expect(parseAllowEntry('127.0.0.1')).toMatchObject({ kind: 'cidr' });
    expect(parseAllowEntry('10.0.0.0/8')).toMatchObject({ kind: 'cidr' });
    expect(parseAllowEntry('[fd00::]/8'.replace(/[[\]]/g, ''))).toMatchObject({ kind: 'cidr' });
    expect(() => parseAllowEntry('10.0.0.0/99')).toThrow(/"10.0.0.0\/99" is not a CIDR block/);
    expect(() => parseAllowEntry('http://x/')).toThrow(/not a host name, an IP address or a CIDR block/);
    expect(() => parseAllowEntry(' ')).toThrow(/empty/);
  });

  it('an allowed address, block or host lets exactly that through', () => {
    const policy = fetchPolicy({
      allow: ['10.1.0.0/16', 'intranet.example'],
      env: { CRIER_FETCH_ALLOW: '127.0.0.1' },
    });
    expect(policy.refusal('x.example', '10.1.2.3')).toBeUndefined();
    expect(policy.refusal('x.example', '10.2.0.1')).toMatch(/10\.2\.0\.1 \(private\)/);
    expect(policy.refusal('127.0.0.1', '127.0.0.1')).toBeUndefined();
    expect(policy.refusal('127.0.0.2', '127.0.0.2')).toMatch(/loopback/);
    // The IPv4-mapped form of an allowed address is that address.
    expect(policy.refusal('::ffff:127.0.0.1', '::ffff:127.0.0.1')).toBeUndefined();
    expect(policy.refusal('intranet.example', '192.168.0.9')).toBeUndefined();
    expect(policy.refusal('other.example', '192.168.0.9')).toContain(
      'host other.example resolves to 192.168.0.9',
    );
  });

  it('a bad CRIER_FETCH_ALLOW or fetch.allow entry is a FetchPolicyError naming the setting', () => {
    expect(() => fetchPolicy({ env: { CRIER_FETCH_ALLOW: '127.0.0.1,not a host' } })).toThrow(
      FetchPolicyError,
    );
    expect(() => fetchPolicy({ env: { CRIER_FETCH_ALLOW: 'bad host' } })).toThrow(
      /^CRIER_FETCH_ALLOW: "bad host"/,
    );
    expect(() => fetchPolicy({ allow: ['1.2.3.4/40'], env: {} })).toThrow(/^fetch.allow: /);
  });
});

describe('guardedLookup (the check made where the socket connects)', () => {
  const run = (
    addresses: Array<{ address: string; family: number }>,
    all: boolean,
    policy = new FetchPolicy(),
  ) =>
    new Promise<{ err: Error | null; result: unknown }>((resolve) => {
      const lookup = guardedLookup(
        policy,
        () => {},
        (_host, _opts, cb) => cb(null, addresses),
      );
      lookup('news.example', { all }, (err: Error | null, result: unknown) => resolve({ err, result }));
    });

  it('hands the socket the checked addresses', async () => {
    const pub = [{ address: '93.184.216.34', family: 4 }];
    expect(await run(pub, true)).toEqual({ err: null, result: pub });
    expect((await run(pub, false)).result).toBe('93.184.216.34');
  });

  it('refuses a name when any address it resolves to is not public (a rebinding answer mixes them)', async () => {
    const { err } = await run(
      [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      true,
    );
    expect(err).toBeInstanceOf(FetchRefusedError);
    expect(err?.message).toContain('host news.example resolves to 127.0.0.1 (loopback)');
  });
});
