/**
 * npm run demo [-- <path-or-url>]
 *
 * Runs the whole path on real Redis and BullMQ against local HTTPS fakes of every registered platform: starts
 * the fakes, a `crier worker` process and `crier publish`, then prints the posts as a follower sees them and the
 * final `crier status`. Uses its own Redis key prefix and deletes its keys at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { isHttpUrl } from '../articles/location.js';
import { readSource } from '../articles/read.js';
import { loadConfig } from '../config/load.js';
import { packageRoot } from '../core/package.js';
import { type AllFakes, startAllFakes } from '../platforms/fake/all.js';
import { ensureTestCertificate } from '../platforms/fake/tls.js';
import { platformLabel } from '../platforms/registry.js';
import { deleteKeysWithPrefix, ensureRedis, type RedisHandle } from '../queue/redis-server.js';

const root = packageRoot();
const cli = join(root, 'bin/crier.js');

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env, cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 1, stdout, stderr });
    });
  });
}

const rule = (title: string) =>
  console.log(`\n${'═'.repeat(4)} ${title} ${'═'.repeat(Math.max(4, 72 - title.length))}`);

type Config = ReturnType<typeof loadConfig>;

/** What the demo publishes: the path or URL on the command line, else the sample config's first source. */
interface DemoSource {
  source: string;
  /** The link given to `crier publish --url`, when the source names none. */
  url: string | undefined;
  /** How many articles the source holds: each enabled platform should receive that many posts. */
  expected: number;
}

async function demoSource(config: Config): Promise<DemoSource> {
  const sample = config.sources[0];
  const arg = process.argv[2];
  const source = arg
    ? isHttpUrl(arg)
      ? arg
      : resolve(arg)
    : resolve(config.dir, sample?.location ?? 'sample-article.txt');
  // A plain-text file carries no link: give it one under the site's URL unless the caller passed one.
  const articles = await readSource(source, { url: arg ? process.argv[3] : sample?.url });
  const linkless = articles.some((a) => !isHttpUrl(a.url));
  const url =
    (arg ? process.argv[3] : sample?.url) ??
    (linkless
      ? `${config.site.url.replace(/\/$/, '')}/demo/${basename(source).replace(/\.[a-z]+$/i, '')}`
      : undefined);
  return { source, url, expected: articles.length };
}

/** The demo's world: a temporary folder with its certificate, Redis under a fresh prefix, the fakes. */
interface DemoWorld {
  dir: string;
  redis: RedisHandle;
  prefix: string;
  fakes: AllFakes;
  /** The environment of the `crier` processes the demo runs. */
  env: NodeJS.ProcessEnv;
}

async function startWorld(): Promise<DemoWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'crier-demo-'));
  const tls = await ensureTestCertificate(dir);
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `crier-demo-${randomUUID().slice(0, 8)}`;
  const fakes = await startAllFakes(tls);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...fakes.env(),
    NODE_EXTRA_CA_CERTS: tls.certPath,
    REDIS_URL: redis.url,
    CRIER_PREFIX: prefix,
    CRIER_CONFIG: join(root, 'config/crier.yaml'),
    LOG_FORMAT: 'json',
  };
  return { dir, redis, prefix, fakes, env };
}

function printHeader(world: DemoWorld, source: string): void {
  const { redis, prefix, fakes } = world;
  console.log('Crier demo');
  console.log(
    `  Redis     ${redis.url}${redis.child ? ' (private redis-server started for the demo)' : ''}, key prefix ${prefix}`,
  );
  for (const f of fakes.list) console.log(`  ${platformLabel(f.name).padEnd(9)} ${f.url} (fake)`);
  console.log(`  Source    ${source}`);
}

/** A `crier worker` process whose output is kept in `log`. */
function startWorker(env: NodeJS.ProcessEnv): { worker: ChildProcess; log: string[] } {
  const worker = spawn(process.execPath, [cli, 'worker'], {
    env,
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  worker.stdout.on('data', (d) => log.push(String(d)));
  worker.stderr.on('data', (d) => log.push(String(d)));
  return { worker, log };
}

/** The first posts each fake received, as a follower sees them. */
function printPosts(fakes: AllFakes, expected: number): void {
  rule('What followers see');
  const shown = 3;
  if (expected > shown)
    console.log(`(${expected} articles; the first ${shown} posts per platform are shown)`);
  for (const f of fakes.list) {
    for (const p of f.posts().slice(0, shown)) {
      console.log(`\n[${platformLabel(f.name)}] ${p.id}\n${p.text}`);
      for (const note of p.notes) console.log(`  ┌ ${note}`);
    }
  }
}

/** Prints what each fake received; 0 when every platform with an enabled account got each article once. */
function summarize(config: Config, fakes: AllFakes, expected: number, workerLog: string[]): number {
  const counts = fakes.list.map((f) => ({
    name: f.name,
    label: platformLabel(f.name),
    posts: f.posts().length,
  }));
  const transitions = workerLog
    .join('')
    .split('\n')
    .filter((l) => l.includes('"event"')).length;
  rule('Summary');
  console.log(
    `posts received: ${counts.map((c) => `${c.label} ${c.posts}`).join(', ')}; ${transitions} job-transition log lines from the worker`,
  );
  // Every platform with an enabled account in the sample config gets each article once.
  const enabled = new Set<string>(config.accounts.filter((a) => a.enabled).map((a) => a.platform));
  const exit = counts.filter((c) => enabled.has(c.name)).every((c) => c.posts === expected) ? 0 : 1;
  if (exit !== 0)
    console.error(
      `expected ${expected} post(s) per platform. Worker log:\n${workerLog.join('').slice(-4000)}`,
    );
  return exit;
}

/** `crier publish --wait`, then the posts, `crier status` and the summary; the demo's exit code. */
async function publishAndShow(
  config: Config,
  demo: DemoSource,
  world: DemoWorld,
  workerLog: string[],
): Promise<number> {
  const { source, url, expected } = demo;
  const publishArgs = ['publish', source, '--wait', String(60 + expected), '--json'];
  if (url) publishArgs.push('--url', url);
  const pub = await run(publishArgs, world.env);
  if (pub.code !== 0 && !pub.stdout) {
    console.error(`crier publish failed:\n${pub.stderr}`);
    return 1;
  }
  printPosts(world.fakes, expected);
  rule('crier status');
  const status = await run(['status'], world.env);
  console.log(status.stdout || status.stderr);
  return summarize(config, world.fakes, expected, workerLog);
}

async function stopWorld(world: DemoWorld, worker: ChildProcess): Promise<void> {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('close', r));
  await world.fakes.close();
  await deleteKeysWithPrefix(world.redis.url, world.prefix);
  world.redis.stop();
  rmSync(world.dir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  const config = loadConfig(join(root, 'config/crier.yaml'));
  const demo = await demoSource(config);
  const world = await startWorld();
  printHeader(world, demo.source);
  const { worker, log } = startWorker(world.env);
  try {
    return await publishAndShow(config, demo, world, log);
  } finally {
    await stopWorld(world, worker);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
