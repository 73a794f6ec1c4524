import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';

/** The intake keys of crier.yaml: fetch.allow, fetch.maxBytes, feeds.*, articles.minWords, sources[].fullText. */

const base = `
site: { name: Harbour News, url: https://harbour.example }
accounts: [{ id: x, platform: twitter }]
`;
const parse = (extra: string) => parseConfig(`${base}${extra}`, '/test/crier.yaml');
const problem = (extra: string) => {
  try {
    parse(extra);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('intake configuration', () => {
  it('has safe defaults: nothing allowed, 5 MB pages, 16 MB / 10,000-item feeds, 12 words, full text auto', () => {
    const c = parse('sources: [{ id: wire, location: https://harbour.example/feed }]');
    expect(c.fetch).toEqual({ allow: [], maxBytes: 5 * 1024 * 1024 });
    expect(c.feeds).toEqual({ maxBytes: 16 * 1024 * 1024, maxItems: 10_000 });
    expect(c.articles).toEqual({ minWords: 12 });
    expect(c.sources[0]!.fullText).toBe('auto');
  });

  it('takes hosts, suffixes, addresses and CIDR blocks in fetch.allow', () => {
    const c = parse(
      'fetch: { allow: [intranet.example, "*.corp.example", 127.0.0.1, 10.0.0.0/8, "fd00::/8"] }',
    );
    expect(c.fetch.allow).toHaveLength(5);
  });

  it.each([
    ['fetch: { allow: ["http://x/"] }', /fetch\.allow\[0\].*not a host name, an IP address or a CIDR block/],
    ['fetch: { allow: ["10.0.0.0/40"] }', /fetch\.allow\[0\].*not a CIDR block/],
    ['fetch: { alow: [x.example] }', /fetch: unknown key "alow"/],
    ['fetch: { maxBytes: 10 }', /fetch\.maxBytes: got 10/],
    ['feeds: { maxItems: 0 }', /feeds\.maxItems: got 0/],
    ['feeds: { maxItems: 1e9 }', /feeds\.maxItems: got 1000000000/],
    ['feeds: { maxbytes: 1 }', /feeds: unknown key "maxbytes"/],
    ['articles: { minWords: -1 }', /articles\.minWords: got -1/],
    [
      'sources: [{ id: w, location: x.xml, fullText: sometimes }]',
      /sources\[0\]\.fullText: got "sometimes"; expected one of "auto"\|"always"\|"never"|fullText.*auto.*always.*never/,
    ],
  ])('%s is an error naming the key', (extra, message) => {
    expect(problem(extra)).toMatch(message);
  });
});
