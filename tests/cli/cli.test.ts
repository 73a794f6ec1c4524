import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { checkPosts } from '../helpers/check-posts.js';
import { type NamedFakes, startFakes } from '../helpers/fakes.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const CLI = resolve('bin/crier.js');
const SEED = resolve('tests/fixtures/articles/furnished.txt');

function crier(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

describe('crier CLI', () => {
  it('explains itself', async () => {
    const r = await crier(['--help']);
    expect(r.code).toBe(0);
    for (const c of [
      'preview',
      'publish',
      'worker',
      'scheduler',
      'start',
      'status',
      'schedule',
      'cancel',
      'hold',
      'release',
      'retry',
      'pause',
    ])
      expect(r.stdout).toContain(c);
  });

  it('preview --json gives one object with what would be sent, valid for every platform', async () => {
    const r = await crier(['preview', SEED, '--url', 'https://example.org/macron-putin', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.article).toMatchObject({
      title: 'Mayor Okafor Asks Rail Unions Back To Talks, Commuters Brace For Strike',
      url: 'https://example.org/macron-putin',
    });
    expect(out.posts.map((p: { platform: string }) => p.platform).sort()).toEqual([...PLATFORMS].sort());
    for (const p of out.posts)
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['platform', 'account', 'text', 'summary', 'link']),
      );
    expect(checkPosts(out)).toEqual([]);
    expect(r.stdout).not.toMatch(/desk\.northbridge@example\.net|Skip to content|Leave a comment/);
  });

  it('a bad configuration stops with the key, the value and what is expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-cli-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'site: { name: T, url: https://e.org }\naccounts: [{ id: a, platform: myspace }]\n',
    );
    const r = await crier(['preview', SEED], { CRIER_CONFIG: join(dir, 'bad.yaml') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/accounts\[0\]\.platform: got "myspace"; expected .*twitter/);
  });

  it('rejects a publish time without an offset before queueing anything', async () => {
    const r = await crier(['publish', SEED, '--url', 'https://e.org/a', '--at', 'tomorrow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at "tomorrow": expected an ISO-8601 date and time/);
  });
});

describe('crier publish + crier worker + crier status against HTTPS fakes', () => {
  let fakes: NamedFakes;
  let worker: ChildProcess;
  const prefix = uniquePrefix();
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fakes = await startFakes();
    env = { ...fakes.env(), REDIS_URL: redisUrl(), CRIER_PREFIX: prefix };
    worker = spawn(process.execPath, [CLI, 'worker'], {
      env: { ...process.env, LOG_FORMAT: 'json', ...env },
      stdio: 'ignore',
    });
  });
  afterAll(async () => {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('close', r));
    await fakes.close();
    await deletePrefix(prefix);
  });

  // Three CLI processes start one after the other (tsx start-up is seconds each on a loaded machine).
  it('each platform receives exactly one post and status shows where', { timeout: 90_000 }, async () => {
    const pub = await crier(
      ['publish', SEED, '--url', 'https://example.org/macron-putin', '--wait', '60', '--json'],
      env,
    );
    expect(pub.code).toBe(0);
    // The sample config has one account per registered platform; the fakes' variables enable them all.
    expect(JSON.parse(pub.stdout).posts.map((p: { state: string }) => p.state)).toEqual(
      PLATFORMS.map(() => 'posted'),
    );
    expect(fakes.list.map((f) => f.posts().length)).toEqual(PLATFORMS.map(() => 1));

    const status = await crier(['status', '--json'], env);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    const urls = s.posts.map((p: { url: string }) => p.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        `https://www.facebook.com/${fakes.facebook.posts()[0]?.id}`,
        `https://www.linkedin.com/feed/update/${fakes.linkedin.posts()[0]?.id}`,
        `https://x.com/i/web/status/${fakes.twitter.posts()[0]?.id}`,
      ]),
    );
    expect(s.posts.map((p: { postId: string }) => p.postId).sort()).toEqual(
      fakes.list.map((f) => f.posts()[0]?.id).sort(),
    );
    expect(s.accounts.every((a: { health: string }) => a.health === 'ok')).toBe(true);
    expect(s.queues['publish-twitter']).toMatchObject({ completed: 1, failed: 0 });

    // From a shell without the secrets, status still reports what the workers can do.
    const bare = await crier(['status', '--json'], {
      REDIS_URL: redisUrl(),
      CRIER_PREFIX: prefix,
      TWITTER_API_KEY: '',
      FACEBOOK_PAGE_TOKEN: '',
      LINKEDIN_ACCESS_TOKEN: '',
      BLUESKY_APP_PASSWORD: '',
      MASTODON_ACCESS_TOKEN: '',
    });
    expect(JSON.parse(bare.stdout).accounts.map((a: { health: string }) => a.health)).toEqual(
      PLATFORMS.map(() => 'ok'),
    );
  });
});
