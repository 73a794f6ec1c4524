/**
 * npm run demo [-- <path-or-url>]
 *
 * Runs the whole path on real Redis and BullMQ against local HTTPS fakes of every registered platform: starts
 * the fakes, a `crier worker` process and `crier publish`, then prints the posts as a follower sees them and the
 * final `crier status`. Uses its own Redis key prefix and deletes its keys at the end.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { isHttpUrl } from '../articles/location.js';
import { readSource } from '../articles/read.js';
import { loadConfig } from '../config/load.js';
import { packageRoot } from '../core/package.js';
import { startAllFakes } from '../platforms/fake/all.js';
import { ensureTestCertificate } from '../platforms/fake/tls.js';
import { platformLabel } from '../platforms/registry.js';
import { deleteKeysWithPrefix, ensureRedis } from '../queue/redis-server.js';

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

async function main(): Promise<number> {
  const config = loadConfig(join(root, 'config/crier.yaml'));
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
  const expected = articles.length;

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

  console.log('Crier demo');
  console.log(
    `  Redis     ${redis.url}${redis.child ? ' (private redis-server started for the demo)' : ''}, key prefix ${prefix}`,
  );
  for (const f of fakes.list) console.log(`  ${platformLabel(f.name).padEnd(9)} ${f.url} (fake)`);
  console.log(`  Source    ${source}`);

  const worker = spawn(process.execPath, [cli, 'worker'], {
    env,
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const workerLog: string[] = [];
  worker.stdout.on('data', (d) => workerLog.push(String(d)));
  worker.stderr.on('data', (d) => workerLog.push(String(d)));

  let exit = 1;
  try {
    const publishArgs = ['publish', source, '--wait', String(60 + expected), '--json'];
    if (url) publishArgs.push('--url', url);
    const pub = await run(publishArgs, env);
    if (pub.code !== 0 && !pub.stdout) {
      console.error(`crier publish failed:\n${pub.stderr}`);
      return 1;
    }

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

    rule('crier status');
    const status = await run(['status'], env);
    console.log(status.stdout || status.stderr);

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
    exit = counts.filter((c) => enabled.has(c.name)).every((c) => c.posts === expected) ? 0 : 1;
    if (exit !== 0)
      console.error(
        `expected ${expected} post(s) per platform. Worker log:\n${workerLog.join('').slice(-4000)}`,
      );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('close', r));
    await fakes.close();
    await deleteKeysWithPrefix(redis.url, prefix);
    redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return exit;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
