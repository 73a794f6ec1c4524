import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLinkedInVersion, readCredentials } from '../../src/config/credentials.js';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { runtimeSettings } from '../../src/config/runtime.js';
import { PLATFORMS } from '../../src/platforms/registry.js';

const minimal = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
`;

describe('configuration', () => {
  it('loads the shipped config/crier.yaml with defaults applied', () => {
    const cfg = loadConfig('config/crier.yaml');
    // One account per registered platform (Bluesky and Mastodon stay disabled until their variables are set).
    expect(cfg.accounts.map((a) => a.platform).sort()).toEqual([...PLATFORMS].sort());
    expect(cfg.publishing.attempts).toBeGreaterThan(0);
    expect(cfg.sources[0]?.location).toBe('sample-article.txt');
  });

  it('fills defaults for a minimal file', () => {
    const cfg = parseConfig(minimal, '/x/crier.yaml');
    expect(cfg.accounts[0]).toMatchObject({ enabled: true, envPrefix: '', schedule: { mode: 'immediate' } });
    expect(cfg.dir).toBe('/x');
  });

  it.each([
    [
      'site: { name: T, url: not-a-url }\naccounts: [{ id: a, platform: twitter }]',
      /site\.url: got "not-a-url"; expected .*URL/i,
    ],
    [
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: myspace }]',
      /accounts\[0\]\.platform: got "myspace"; expected .*twitter/,
    ],
    ['site: { name: T, url: https://e.org }\naccounts: []', /accounts: got \[\]; expected/],
    [
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: twitter, schedule: { mode: slots, slots: ["0 8 * * *"], timezone: Mars/Olympus } }]',
      /accounts\[0\]\.schedule\.timezone: got "Mars\/Olympus"; expected an IANA time zone/,
    ],
    [
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: twitter, schedule: { mode: slots, slots: ["61 8 * * *"], timezone: UTC } }]',
      /accounts\[0\]\.schedule\.slots\[0\]: got "61 8 \* \* \*"; expected a cron expression/,
    ],
    [
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: twitter }, { id: a, platform: facebook }]',
      /accounts\[1\]\.id: got "a"; expected an id no other account uses \("a" is used twice\)/,
    ],
    [
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: twitter, template: nosuch }]',
      /accounts\[0\]\.template: got "nosuch"/,
    ],
  ])('rejects a bad value with the key, the value and what is expected (%#)', (yaml, message) => {
    expect(() => parseConfig(yaml, 'bad.yaml')).toThrow(ConfigError);
    expect(() => parseConfig(yaml, 'bad.yaml')).toThrow(message);
  });

  it('rejects misspelt keys instead of silently using defaults', () => {
    const yaml =
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: twitter, hashtag: { max: 1 } }]\npublishin: {}';
    expect(() => parseConfig(yaml, 'typo.yaml')).toThrow(/accounts\[0\]: unknown key "hashtag"/);
    expect(() => parseConfig(yaml, 'typo.yaml')).toThrow(
      /unknown top-level key "publishin" \(did you mean "publishing"\?\)/,
    );
  });

  it('reports YAML syntax errors and missing files clearly', () => {
    expect(() => parseConfig('site: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml:1:16: not valid YAML/);
    expect(() => loadConfig('/nonexistent/crier.yaml')).toThrow(
      /cannot read the configuration \(ENOENT\); set CRIER_CONFIG/,
    );
  });

  it('reads CRIER_CONFIG through loadConfig(configPath())', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-cfg-'));
    const file = join(dir, 'other.yaml');
    writeFileSync(file, minimal);
    expect(loadConfig(file).file).toBe(file);
  });
});

describe('credentials from the environment', () => {
  const account = parseConfig(minimal, 'x').accounts[0]!;

  it('reports missing variables instead of throwing', () => {
    const r = readCredentials(account, {});
    expect(r).toEqual({
      ok: false,
      missing: ['TWITTER_API_KEY', 'TWITTER_API_SECRET', 'TWITTER_ACCESS_TOKEN', 'TWITTER_ACCESS_SECRET'],
    });
  });

  it('reads OAuth 1.0a credentials with the account prefix', () => {
    const r = readCredentials(
      { ...account, envPrefix: 'SPORTS_' },
      {
        SPORTS_TWITTER_API_KEY: 'k',
        SPORTS_TWITTER_API_SECRET: 's',
        SPORTS_TWITTER_ACCESS_TOKEN: 't',
        SPORTS_TWITTER_ACCESS_SECRET: 'ts',
      },
    );
    expect(r).toMatchObject({
      ok: true,
      credentials: { platform: 'twitter', value: { kind: 'oauth1', apiKey: 'k' } },
    });
  });

  it('rejects a malformed LinkedIn author or version with a clear problem', () => {
    const li = { ...account, platform: 'linkedin' as const };
    expect(readCredentials(li, { LINKEDIN_ACCESS_TOKEN: 't', LINKEDIN_AUTHOR: 'bob' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/LINKEDIN_AUTHOR is "bob": expected urn:li:person/),
    });
    expect(
      readCredentials(li, {
        LINKEDIN_ACCESS_TOKEN: 't',
        LINKEDIN_AUTHOR: 'urn:li:person:1',
        LINKEDIN_VERSION: '2026-11',
      }),
    ).toMatchObject({ ok: false, problem: expect.stringMatching(/expected YYYYMM/) });
    expect(defaultLinkedInVersion(new Date('2026-01-15T00:00:00Z'))).toBe('202511');
  });

  it('defaults REDIS_URL and CRIER_PREFIX and rejects a prefix with ":"', () => {
    expect(runtimeSettings({})).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'crier' });
    expect(() => runtimeSettings({ CRIER_PREFIX: 'a:b' })).toThrow(/CRIER_PREFIX is "a:b"/);
  });
});
