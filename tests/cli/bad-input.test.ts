/**
 * The bad-input catalogue for the command line, the environment and the configuration (issue 8): each case
 * runs the compiled CLI as a user would and asserts one line on stderr naming the problem, exit 2, no stack
 * trace, no process left running, and that a post already scheduled for tomorrow is untouched (every Redis
 * key of the test's prefix dumped before and after, byte for byte).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { listScheduled } from '../../src/control/posts.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { type Harness, startHarness, TEST_CONFIG, until } from '../helpers/pipeline.js';
import { redisUrl } from '../helpers/redis.js';

const ARTICLE = resolve('tests/fixtures/cli/article.txt');
const LINK = 'https://example.org/2026/11/port-alder-sea-wall';

interface Case {
  name: string;
  args: (post: string) => string[];
  env?: Record<string, string>;
  /** Replaces the test configuration (the file CRIER_CONFIG names). */
  yaml?: string;
  message: RegExp;
}

const cfg = (extra: string) => `${TEST_CONFIG}${extra}\n`;
const SITE = 'site: { name: Boundless Ocean of Politics, url: https://example.org }';
const ACCOUNTS = 'accounts: [{ id: x-main, platform: twitter }, { id: fb-page, platform: facebook }]';

const publish = (...more: string[]) => ['publish', ARTICLE, '--url', LINK, ...more];

/** Arguments (the post id is the real one scheduled for tomorrow, so a command that ran would touch it). */
const CLI_CASES: Case[] = [
  {
    name: 'publish --wait abc',
    args: () => publish('--wait', 'abc'),
    message: /--wait "abc": expected .*whole number/,
  },
  {
    name: 'worker --concurrency abc',
    args: () => ['worker', '--concurrency', 'abc'],
    message: /--concurrency "abc": expected .*whole number from 1 to 256/,
  },
  {
    name: 'start --concurrency 0',
    args: () => ['start', '--concurrency', '0'],
    message: /--concurrency "0": expected .*from 1/,
  },
  {
    name: 'start --http garbage',
    args: () => ['start', '--http', 'garbage'],
    message: /--http "garbage": expected \[host\]:port/,
  },
  {
    name: 'start --http :99999',
    args: () => ['start', '--http', ':99999'],
    message: /--http ":99999": port 99999/,
  },
  {
    name: 'start --http "exa mple:80"',
    args: () => ['start', '--http', 'exa mple:80'],
    message: /--http "exa mple:80": "exa mple" is not a host name/,
  },
  {
    name: '--at a day that does not exist',
    args: () => publish('--at', '2027-02-30T08:00:00+01:00'),
    message: /--at "2027-02-30T08:00:00\+01:00": 2027-02 has no day 30/,
  },
  {
    name: '--at a month that does not exist',
    args: () => publish('--at', '2027-13-01T08:00Z'),
    message: /--at "2027-13-01T08:00Z": there is no month 13/,
  },
  {
    name: '--at 25 o’clock',
    args: () => publish('--at', '2027-01-10T25:00Z'),
    message: /--at "2027-01-10T25:00Z": 25:00 is not a time of day/,
  },
  {
    name: '--at words',
    args: () => publish('--at', 'tomorrow'),
    message: /--at "tomorrow": expected an ISO-8601 date and time/,
  },
  {
    name: '--at without an offset and no site.timezone',
    args: () => publish('--at', '2027-01-10T08:00'),
    message: /--at "2027-01-10T08:00" has no UTC offset and no site.timezone is configured/,
  },
  {
    name: '--at in the past',
    args: () => publish('--at', '2020-01-01T08:00Z'),
    message: /--at "2020-01-01T08:00Z" is in the past/,
  },
  {
    name: '--at years ahead',
    args: () => publish('--at', '2062-01-01T08:00Z'),
    message: /--at "2062-01-01T08:00Z" is more than a year ahead/,
  },
  {
    name: '--url with a space and markup',
    args: () => ['publish', ARTICLE, '--url', 'https://exa mple.org/<b>x'],
    message: /--url "https:\/\/exa mple.org\/<b>x": holds " ": expected an absolute http\(s\) URL/,
  },
  {
    name: '--url of 120 KB',
    args: () => ['publish', ARTICLE, '--url', `https://example.org/${'a'.repeat(120_000)}`],
    message: /--url "https:\/\/example.org\/a+\.\.\.": a URL of 120020 characters: expected .* at most 2048/,
  },
  {
    name: '--url ftp',
    args: () => ['publish', ARTICLE, '--url', 'ftp://example.org/a'],
    message: /--url "ftp:\/\/example.org\/a": a ftp URL: expected http or https/,
  },
  {
    name: '--url javascript:',
    args: () => ['preview', ARTICLE, '--url', 'javascript:alert(1)'],
    message: /--url "javascript:alert\(1\)": a javascript URL: expected http or https/,
  },
  {
    name: '--url relative',
    args: () => ['publish', ARTICLE, '--url', '/news/story'],
    message: /--url "\/news\/story": expected an absolute http\(s\) URL/,
  },
  {
    name: 'status --limit abc',
    args: () => ['status', '--limit', 'abc'],
    message: /--limit "abc": expected/,
  },
  {
    name: 'status --limit 0',
    args: () => ['status', '--limit', '0'],
    message: /--limit "0": expected .*from 1 to 1000/,
  },
  {
    name: 'worker --queues foo',
    args: () => ['worker', '--queues', 'foo'],
    message: /--queues "foo": unknown queue "foo": expected a comma list of ingest, compose, twitter/,
  },
  {
    name: 'publish --platforms myspace',
    args: () => publish('--platforms', 'twitter,myspace'),
    message: /--platforms "twitter,myspace": unknown platform "myspace"/,
  },
  {
    name: 'cancel nope',
    args: () => ['cancel', 'nope'],
    message: /post id "nope": expected post-<articleId>-<account>/,
  },
  {
    name: 'cancel a post of an account that is not configured',
    args: (post) => ['cancel', post.replace(/x-main$/, 'nosuch')],
    message:
      /post id "post-a[0-9a-f]{16}-nosuch": no account "nosuch" in .*accounts: x-main, fb-page, li-page/,
  },
  {
    name: 'reschedule to 29 February of a common year',
    args: (post) => ['reschedule', post, '--at', '2027-02-29T08:00Z'],
    message: /--at "2027-02-29T08:00Z": 2027-02 has no day 29 \(it has 28 days\)/,
  },
  {
    name: 'release at a time that is not a date',
    args: (post) => ['release', post, '--at', '2027-1-5 8:00'],
    message: /--at "2027-1-5 8:00": expected an ISO-8601 date and time/,
  },
  {
    name: 'pause an account that does not exist',
    args: () => ['pause', 'nosuch'],
    message: /"nosuch" is neither an account \(x-main, fb-page, li-page\) nor a platform/,
  },
  {
    name: 'pause with a target that is no name',
    args: () => ['pause', '../x'],
    message: /target "..\/x": expected an account id or a platform name/,
  },
  {
    name: 'status --article zz',
    args: () => ['status', '--article', 'zz'],
    message: /--article "zz": expected an article id/,
  },
  { name: 'an unknown command', args: () => ['frobnicate'], message: /unknown command 'frobnicate'/ },
  {
    name: 'an unknown option',
    args: (post) => ['cancel', post, '--bogus'],
    message: /unknown option '--bogus'/,
  },
  {
    name: 'publish without a source',
    args: () => ['publish'],
    message: /missing required argument 'source'/,
  },
  {
    name: 'publish from an ftp URL',
    args: () => ['publish', 'ftp://example.org/feed.xml'],
    message: /source "ftp:\/\/example.org\/feed.xml": a ftp URL: expected a file path or an http\(s\) URL/,
  },
  {
    name: 'preview of a URL with a space',
    args: () => ['preview', ARTICLE, 'https://example.org/a b'],
    message: /source "https:\/\/example.org\/a b": holds " ": expected a URL with no spaces or markup/,
  },
  {
    name: 'publish a file that does not exist',
    args: () => ['publish', 'no-such-article.txt', '--url', LINK],
    message: /source "no-such-article.txt" does not exist/,
  },
  {
    name: 'retry with neither an id nor --failed',
    args: () => ['retry'],
    message: /retry: give a post id \(see "crier schedule list"\) or --failed/,
  },
];

/** The environment: each bad value stops a command that would otherwise cancel the scheduled post. */
const ENV_CASES: Case[] = [
  {
    name: 'CRIER_PREFIX with a space',
    args: (post) => ['cancel', post],
    env: { CRIER_PREFIX: 'a b' },
    message: /CRIER_PREFIX is "a b": expected .*no ":" or spaces/,
  },
  {
    name: 'LOG_LEVEL=loud',
    args: (post) => ['cancel', post],
    env: { LOG_LEVEL: 'loud' },
    message: /LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent/,
  },
  {
    name: 'LOG_FORMAT=xml',
    args: (post) => ['cancel', post],
    env: { LOG_FORMAT: 'xml' },
    message: /LOG_FORMAT is "xml": expected json or pretty/,
  },
  {
    name: 'REDIS_URL that is not a Redis URL',
    args: (post) => ['cancel', post],
    env: { REDIS_URL: 'http://127.0.0.1:6379' },
    message: /REDIS_URL is "http:\/\/127.0.0.1:6379": expected redis:\/\//,
  },
  {
    name: 'CRIER_DRY_RUN=maybe',
    args: (post) => ['cancel', post],
    env: { CRIER_DRY_RUN: 'maybe' },
    message: /CRIER_DRY_RUN is "maybe": expected 1, true or yes/,
  },
  {
    name: 'CRIER_METRICS_ADDR that is no address',
    args: (post) => ['cancel', post],
    env: { CRIER_METRICS_ADDR: 'localhost:http' },
    message: /CRIER_METRICS_ADDR is "localhost:http": expected \[host\]:port/,
  },
  {
    name: 'CRIER_CONFIG naming no file',
    args: (post) => ['cancel', post],
    env: { CRIER_CONFIG: '/nonexistent/crier.yaml' },
    message: /\/nonexistent\/crier.yaml: cannot read the configuration \(ENOENT\)/,
  },
];

/** The configuration: a mistake at any depth stops a command that would otherwise cancel the post. */
const CONFIG_CASES: Case[] = [
  {
    name: 'a misspelt key inside publishing',
    yaml: `${SITE}\n${ACCOUNTS}\npublishing: { requestTimeoutMS: 5000 }`,
    args: (post) => ['cancel', post],
    message: /publishing: unknown key "requestTimeoutMS" \(did you mean "requestTimeoutMs"\?\)/,
  },
  {
    name: 'a misspelt key inside summaries',
    yaml: `${SITE}\n${ACCOUNTS}\nsummaries: { engin: llm }`,
    args: (post) => ['cancel', post],
    message: /summaries: unknown key "engin" \(did you mean "engine"\?\)/,
  },
  {
    name: 'a misspelt key inside an account’s utm',
    yaml: `${SITE}\naccounts: [{ id: x-main, platform: twitter, utm: { source: x, medium: social, campain: c } }]`,
    args: (post) => ['cancel', post],
    message: /accounts\[0\]\.utm: unknown key "campain" \(did you mean "campaign"\?\)/,
  },
  {
    name: 'a misspelt key inside summaries.llm',
    yaml: `${SITE}\n${ACCOUNTS}\nsummaries: { engine: llm, llm: { baseUrl: https://llm.example.org/v1, model: m, timeoutMS: 10 } }`,
    args: (post) => ['cancel', post],
    message: /summaries\.llm: unknown key "timeoutMS"/,
  },
  {
    name: 'a timeout above 2^31-1 ms',
    yaml: `${SITE}\n${ACCOUNTS}\npublishing: { requestTimeoutMs: 2147483648 }`,
    args: (post) => ['cancel', post],
    message: /publishing\.requestTimeoutMs: got 2147483648; expected at most 2147483647 ms/,
  },
  {
    name: 'an LLM timeout above 2^31-1 ms',
    yaml: `${SITE}\n${ACCOUNTS}\nsummaries: { engine: llm, llm: { baseUrl: https://llm.example.org/v1, model: m, timeoutMs: 9999999999 } }`,
    args: (post) => ['cancel', post],
    message: /summaries\.llm\.timeoutMs: got 9999999999; expected at most 2147483647 ms/,
  },
  {
    name: 'attempts of 0',
    yaml: `${SITE}\n${ACCOUNTS}\npublishing: { attempts: 0 }`,
    args: (post) => ['cancel', post],
    message: /publishing\.attempts: got 0; expected .*>=1/,
  },
  {
    name: 'a misspelt template placeholder',
    yaml: `${SITE}\n${ACCOUNTS}\ntemplates: { tweet: "{sumary}\\n{link}" }`,
    args: (post) => ['cancel', post],
    message:
      /templates\.tweet: got "\{sumary\}\\n\{link\}"; expected only the placeholders \{headline\} \{summary\} \{link\} \{hashtags\} \{site\} \(\{sumary\} is unknown: did you mean \{summary\}\?\)/,
  },
  {
    name: 'an unknown placeholder in an inline account template',
    yaml: `${SITE}\naccounts: [{ id: x-main, platform: twitter, template: "{hedline} {link}" }]`,
    args: (post) => ['cancel', post],
    message: /accounts\[0\]\.template: .*\{hedline\} is unknown: did you mean \{headline\}\?/,
  },
  {
    name: 'site.timezone that is no zone',
    yaml: `site: { name: T, url: https://example.org, timezone: Mars/Olympus }\n${ACCOUNTS}`,
    args: (post) => ['cancel', post],
    message: /site\.timezone: got "Mars\/Olympus"; expected an IANA time zone/,
  },
  {
    name: 'a source on ftp',
    yaml: `${SITE}\n${ACCOUNTS}\nsources: [{ id: s, location: "ftp://example.org/feed.xml" }]`,
    args: (post) => ['cancel', post],
    message:
      /sources\[0\]\.location: got "ftp:\/\/example.org\/feed.xml"; expected a file path or an http\(s\) URL/,
  },
  {
    name: 'site.url that is not http(s)',
    yaml: `site: { name: T, url: "javascript:alert(1)" }\n${ACCOUNTS}`,
    args: (post) => ['cancel', post],
    message: /site\.url: got "javascript:alert\(1\)"; expected an http\(s\) URL/,
  },
  {
    name: 'hashtags.max of 99',
    yaml: `${SITE}\naccounts: [{ id: x-main, platform: twitter, hashtags: { max: 99 } }]`,
    args: (post) => ['cancel', post],
    message: /accounts\[0\]\.hashtags\.max: got 99; expected .*<=10/,
  },
  {
    name: 'YAML that does not parse',
    yaml: 'site: [unclosed',
    args: (post) => ['cancel', post],
    message:
      /crier\.yaml:1:16: not valid YAML: Flow sequence .* must be sufficiently indented and end with a \]$/m,
  },
  {
    name: 'a YAML alias bomb (billion laughs in the configuration)',
    yaml: [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...'bcdefghi'.split('').map((k, i) => {
        const prev = 'abcdefghi'[i]!;
        return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`;
      }),
      SITE,
      ACCOUNTS,
    ].join('\n'),
    args: (post) => ['cancel', post],
    message: /crier\.yaml: not valid YAML: too many aliases/,
  },
  {
    name: 'fetch.allow with a shortened IPv4 CIDR block (10/8 would mean 0.0.0.10/8)',
    yaml: `${SITE}\n${ACCOUNTS}\nfetch: { allow: [10/8] }`,
    args: (post) => ['cancel', post],
    message: /fetch\.allow.*"10\/8" is not a CIDR block/,
  },
  {
    name: 'CRIER_FETCH_ALLOW with a number that is no host name nor dotted address',
    args: (post) => ['cancel', post],
    env: { CRIER_FETCH_ALLOW: '10.0.0.0/8,999.1.1.1' },
    message: /CRIER_FETCH_ALLOW: "999\.1\.1\.1" is not a host name, an IP address or a CIDR block/,
  },
  {
    name: 'CRIER_FETCH_ALLOW with a line break in an entry',
    args: (post) => ['cancel', post],
    env: { CRIER_FETCH_ALLOW: 'intranet\nexample' },
    message: /CRIER_FETCH_ALLOW: "intranet\\nexample" is not a host name/,
  },
  {
    name: 'a number too large for a number (1e400)',
    yaml: `${SITE}\n${ACCOUNTS}\npublishing: { attempts: 1e400 }`,
    args: (post) => ['cancel', post],
    message: /publishing\.attempts: got Infinity; expected/,
  },
  {
    name: 'a known key in the wrong section',
    yaml: `${SITE}\n${ACCOUNTS}\nfetch: { requestTimeoutMs: 5000 }`,
    args: (post) => ['cancel', post],
    message: /fetch: unknown key "requestTimeoutMs" \(a key of another section\)/,
  },
];

describe('bad input: one line naming the problem, exit 2, nothing touched', () => {
  let h: Harness;
  let workers: RunningWorkers | undefined;
  let redis: Redis;
  let post: string;
  let before: string;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'crier-bad-input-'));
  const configFile = join(dir, 'crier.yaml');

  /** Every key of the prefix and its DUMP: equal before and after means nothing was touched. */
  async function snapshot(): Promise<string> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const hash = createHash('sha256');
    const kept: string[] = [];
    for (const k of keys.sort()) {
      // Keys that live seconds (BullMQ's worker locks and stalled-check marks) come and go by themselves.
      const ttl = await redis.pttl(k);
      if (ttl > 0 && ttl < 600_000) continue;
      kept.push(k.slice(h.prefix.length));
      hash.update(k);
      hash.update((await redis.dumpBuffer(k)) ?? Buffer.alloc(0));
    }
    // The key names too, so that a difference says which keys changed.
    return `${kept.length} keys ${hash.digest('hex')}\n${kept.join('\n')}`;
  }

  /** The snapshot once the closed workers' last writes have landed: two in a row alike. */
  async function settledSnapshot(): Promise<string> {
    let last = await snapshot();
    await until(
      async () => {
        const next = await snapshot();
        const same = next === last;
        last = next;
        return same;
      },
      15_000,
      300,
    );
    return last;
  }

  beforeAll(async () => {
    h = await startHarness();
    redis = new Redis(redisUrl());
    writeFileSync(configFile, TEST_CONFIG);
    env = { REDIS_URL: redisUrl(), CRIER_PREFIX: h.prefix, CRIER_CONFIG: configFile };
    // A post of each account scheduled for tomorrow, composed and waiting in its publish queue.
    workers = startWorkers(h.ctx);
    await enqueueIngest(h.ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: LINK,
      at: new Date(Date.now() + 86_400_000).toISOString(),
      correlationId: randomUUID(),
      force: true,
    });
    await until(async () => (await listScheduled(h.ctx)).filter((p) => p.state === 'delayed').length === 3);
    await workers.close();
    workers = undefined;
    post = (await listScheduled(h.ctx)).find((p) => p.account === 'x-main')!.id;
    before = await settledSnapshot();
  }, 60_000);

  afterAll(async () => {
    await workers?.close();
    redis?.disconnect();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectRefused(c: Case): Promise<CliResult> {
    if (c.yaml) writeFileSync(configFile, c.yaml);
    try {
      const r = await runCli(c.args(post), { ...env, ...c.env });
      expect(r.hung, `${c.name}: still running at the deadline`).toBe(false);
      expect(r.stderr, c.name).toMatch(c.message);
      expect(r.stderr.trimEnd().split('\n'), `${c.name}: one line`).toHaveLength(1);
      expect(r.stderr, `${c.name}: starts with crier:`).toMatch(/^crier: /);
      expect(r.stderr, `${c.name}: no stack trace`).not.toMatch(/\n\s+at /);
      expect(r.code, c.name).toBe(2);
      expect(await snapshot(), `${c.name}: the scheduled post is untouched`).toBe(before);
      return r;
    } finally {
      writeFileSync(configFile, TEST_CONFIG);
    }
  }

  it('has a post of each account scheduled for tomorrow to protect', async () => {
    const scheduled = await listScheduled(h.ctx);
    expect(scheduled.map((p) => p.state)).toEqual(['delayed', 'delayed', 'delayed']);
    expect(CLI_CASES.length + ENV_CASES.length + CONFIG_CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CLI_CASES.map((c) => [c.name, c] as const))('argument: %s', async (_name, c) => {
    await expectRefused(c);
  });

  it.each(ENV_CASES.map((c) => [c.name, c] as const))('environment: %s', async (_name, c) => {
    await expectRefused(c);
  });

  it.each(CONFIG_CASES.map((c) => [c.name, c] as const))('configuration: %s', async (_name, c) => {
    await expectRefused(c);
  });

  it('publish --dry-run shows the posts, queues nothing and says so', async () => {
    const r = await runCli(publish('--dry-run', '--platforms', 'twitter'), { ...env, LOG_FORMAT: '' });
    expect(r.hung).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dry run: nothing was queued; these posts would be:/);
    expect(r.stdout).toContain('--- twitter (x-main)');
    expect(r.stdout).toContain(LINK);
    const json = await runCli(publish('--dry-run', '--json'), env);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, queued: false });
    expect(await snapshot()).toBe(before);
  });

  it('a bad configuration with several mistakes lists each, under the file name', async () => {
    writeFileSync(configFile, `${SITE}\n${ACCOUNTS}\npublishing: { attempts: 0, backofMs: 10 }`);
    try {
      const r = await runCli(['cancel', post], env);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/crier\.yaml: 2 problems in the configuration$/);
      expect(lines.slice(1).join('\n')).toMatch(/publishing\.attempts: got 0/);
      expect(lines.slice(1).join('\n')).toMatch(
        /publishing: unknown key "backofMs" \(did you mean "backoffMs"\?\)/,
      );
      expect(await snapshot()).toBe(before);
    } finally {
      writeFileSync(configFile, TEST_CONFIG);
    }
  });

  it('a time without an offset is read in site.timezone, and one the clocks skip is refused', async () => {
    writeFileSync(
      configFile,
      cfg('').replace('url: https://example.org }', 'url: https://example.org, timezone: Europe/Paris }'),
    );
    try {
      const gap = await runCli(['reschedule', post, '--at', '2027-03-28T02:30'], env);
      expect(gap.code).toBe(2);
      expect(gap.stderr).toMatch(
        /--at "2027-03-28T02:30" does not exist in Europe\/Paris \(the clocks skip it\)/,
      );
      expect(await snapshot()).toBe(before);
    } finally {
      writeFileSync(configFile, TEST_CONFIG);
    }
  });

  it('schedule list and status show the post’s time in the zone with its offset', async () => {
    const at = (await listScheduled(h.ctx)).find((p) => p.id === post)!.at!;
    const human = { ...env, LOG_FORMAT: '' };
    // No site.timezone and an account that posts immediately: the machine's zone (TZ).
    const ny = await runCli(['schedule', 'list'], { ...human, TZ: 'America/New_York' });
    expect(ny.code).toBe(0);
    const local = new Date(Date.parse(at) - 5 * 3_600_000).toISOString().slice(0, 19);
    expect(ny.stdout).toContain(`${post}  delayed  ${local}-05:00`);
    writeFileSync(
      configFile,
      TEST_CONFIG.replace('url: https://example.org }', 'url: https://example.org, timezone: Asia/Kolkata }'),
    );
    try {
      const ist = new Date(Date.parse(at) + 5.5 * 3_600_000).toISOString().slice(0, 19);
      const listed = await runCli(['schedule', 'list'], { ...human, TZ: 'America/New_York' });
      expect(listed.stdout).toContain(`${ist}+05:30`);
      const status = await runCli(['status'], human);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`${ist}+05:30  publish-twitter`);
      const json = await runCli(['schedule', 'list', '--json'], human);
      expect(JSON.parse(json.stdout).find((p: { id: string }) => p.id === post)).toMatchObject({
        at,
        atLocal: `${ist}+05:30`,
      });
    } finally {
      writeFileSync(configFile, TEST_CONFIG);
    }
    expect(await snapshot()).toBe(before);
  });

  it('reads .env in the working directory; the environment wins over it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'crier-dotenv-'));
    try {
      writeFileSync(join(cwd, '.env'), 'LOG_LEVEL=loud\nCRIER_DRY_RUN=1\n');
      const fromFile = await runCli(['cancel', post], env, { cwd });
      expect(fromFile.code).toBe(2);
      expect(fromFile.stderr).toMatch(/^crier: LOG_LEVEL is "loud"/);
      const overridden = await runCli(['schedule', 'list', '--json'], { ...env, LOG_LEVEL: 'warn' }, { cwd });
      expect(overridden.code).toBe(0);
      expect(JSON.parse(overridden.stdout).map((p: { id: string }) => p.id)).toContain(post);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
    expect(await snapshot()).toBe(before);
  });
});
