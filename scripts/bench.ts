/**
 * `npm run bench`: Crier's speed and memory against baselines measured in the same run, as one table, and
 * bench/results.json with every figure (docs/performance.md holds the latest, the machine and the command).
 *
 * - CLI start-up: CPU of `crier --help`, `--version`, `status`, `preview <sample>` against `node -e 0`;
 * - the pipeline against raw BullMQ with the same queue shape, concurrency, job options and Redis (a private
 *   redis-server per run, never the shared 6379): throughput with fakes that answer at once, the share of
 *   the latency bound reached with fakes that answer after 200 ms, Redis round trips and commands per post,
 *   worker CPU per post, worker RSS after the drain and its growth after warm-up, Redis bytes kept per post;
 * - reading: an RSS/Atom feed against the XML parse alone, an article page against the bare jsdom parse;
 * - composing the three posts of a ~1,000-word article against lead-3 and parseTweet.
 *
 * Usage: npm run bench [-- --quick] [--only cli,pipeline,latency,parse,compose,stages] [--profile]
 *   --quick    fewer runs and posts (a few minutes); the full run drains 10,000 posts per worker.
 *   --profile  one more drain of the Crier worker with a CPU profile and MONITOR: where its CPU time and
 *              Redis commands go (printed, and written to bench/profile.json).
 *   --only     some parts; their figures go to bench/results-partial.json, not bench/results.json. `stages`
 *              (each stage of the pipeline drained alone, worker CPU per article against raw BullMQ's) runs
 *              only when named here.
 * Needs redis-server installed, and the evaluation corpus (../shared/corpus, or CRIER_CORPUS) for the
 * parse and compose parts. Exits 1 when a target is missed, 2 when the corpus is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTestCertificate } from '../src/platforms/fake/tls.js';
import { CLI_CASES, type CliResult, measureCli } from './bench/cli.js';
import { benchCompose, type ComposeResult } from './bench/compose.js';
import { benchFeeds, benchPages, type ParseResult } from './bench/parse.js';
import { type DrainResult, drain, keyKind, PREFIX, type StageResult, stages } from './bench/pipeline.js';
import { classifyCommands, summariseProfile } from './bench/profile.js';
import { startPrivateRedis } from './bench/redis.js';
import { corpusRootOrExit } from './eval/corpus.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--profile');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? new Set((onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(','))
  : undefined;
const wants = (section: string) => !only || only.has(section);
const corpus = wants('parse') || wants('compose') ? corpusRootOrExit('npm run bench') : undefined;

const MODE = quick
  ? {
      cliRuns: 3,
      drainRounds: 3,
      posts: 900,
      latencyPosts: 600,
      feedRuns: 3,
      pageRuns: 2,
      pageEvery: 6,
      composeRuns: 100,
    }
  : {
      cliRuns: 10,
      drainRounds: 3,
      posts: 10_000,
      latencyPosts: 1500,
      feedRuns: 10,
      pageRuns: 2,
      pageEvery: 1,
      composeRuns: 400,
    };
const CONCURRENCY = 8;
const LATENCY_MS = 200;
const ROOT = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'crier-bench-'));
const tls = await ensureTestCertificate(work);
const startedAt = new Date();
const load0 = loadavg();
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);

interface Row {
  section: string;
  measure: string;
  crier: number;
  baseline?: number;
  baselineName?: string;
  unit: string;
  /** crier / baseline, unless the row says otherwise. */
  ratio?: number;
  target?: string;
  met?: boolean;
}
const rows: Row[] = [];
/** Every figure is also logged when measured, so a run cut short still shows what it found. */
const record = (r: Row) => {
  rows.push(r);
  const base = r.baseline === undefined ? '' : ` vs ${r.baseline.toFixed(3)} (${r.baselineName})`;
  log(`  ${r.measure}: ${r.crier.toFixed(3)}${base}${r.met === false ? ' MISSED' : ''}`);
};
const results: Record<string, unknown> = {};

// --- Composing ----------------------------------------------------------------------------------------
if (wants('compose') && corpus) {
  log(`composing, ${MODE.composeRuns} runs`);
  const c: ComposeResult = benchCompose(corpus, MODE.composeRuns);
  results.compose = c;
  const section = `composing (${c.words}-word article)`;
  record({
    section,
    measure: 'compose 3 posts: median ms',
    crier: c.crier.ms,
    baseline: c.lead3.ms,
    baselineName: 'lead-3',
    unit: 'ms',
    ratio: c.crier.ms / c.lead3.ms,
    target: '< 5 ms',
    met: c.crier.ms < 5,
  });
  record({
    section,
    measure: 'compose 3 posts: median ms',
    crier: c.crier.ms,
    baseline: c.parseTweet.ms,
    baselineName: 'parseTweet of the tweet',
    unit: 'ms',
    ratio: c.crier.ms / c.parseTweet.ms,
  });
  record({
    section,
    measure: 'compose 3 posts: heap allocated KiB',
    crier: c.crier.heap / 1024,
    baseline: c.lead3.heap / 1024,
    baselineName: 'lead-3',
    unit: 'KiB',
    ratio: c.crier.heap / c.lead3.heap,
  });
}

// --- Reading sources ----------------------------------------------------------------------------------
if (wants('parse') && corpus) {
  log('reading feeds and pages of the corpus');
  const feeds: ParseResult = await benchFeeds(corpus, MODE.feedRuns);
  const pages: ParseResult = await benchPages(corpus, MODE.pageRuns, MODE.pageEvery);
  results.parse = { feeds, pages };
  record({
    section: 'reading sources (corpus)',
    measure: `RSS/Atom feed read, ${feeds.documents} feeds: ms`,
    crier: feeds.crierMs,
    baseline: feeds.baselineMs,
    baselineName: 'XML parse alone',
    unit: 'ms',
    ratio: feeds.crierMs / feeds.baselineMs,
  });
  record({
    section: 'reading sources (corpus)',
    measure: `article page extraction, ${pages.documents} pages: ms`,
    crier: pages.crierMs,
    baseline: pages.baselineMs,
    baselineName: 'bare jsdom parse',
    unit: 'ms',
    ratio: pages.crierMs / pages.baselineMs,
  });
}

// --- CLI start-up -------------------------------------------------------------------------------------
if (wants('cli')) {
  log(`CLI start-up, ${MODE.cliRuns} runs each`);
  const redis = await startPrivateRedis();
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redis.url,
      CRIER_PREFIX: 'bench-cli',
      LOG_FORMAT: 'json',
    };
    delete env.NODE_OPTIONS; // a preload would be measured as start-up
    const cli: CliResult[] = measureCli(CLI_CASES, MODE.cliRuns, env);
    results.cli = cli;
    const base = cli[0]!;
    for (const c of CLI_CASES) {
      const r = cli.find((x) => x.name === c.name)!;
      const ratio = r.cpuMs / base.cpuMs;
      record({
        section: 'CLI start-up',
        measure: `${c.name}: CPU ms${r.exitCode ? ` (exit ${r.exitCode})` : ''}`,
        crier: r.cpuMs,
        baseline: base.cpuMs,
        baselineName: 'node -e 0',
        unit: 'ms',
        ratio,
        target: c.maxRatio ? `<= ${c.maxRatio}x` : undefined,
        met: c.maxRatio ? r.exitCode === 0 && ratio <= c.maxRatio : undefined,
      });
    }
    const help = cli.find((x) => x.name === 'crier --help');
    if (help?.peakRssBytes && base.peakRssBytes)
      record({
        section: 'CLI start-up',
        measure: 'crier --help: peak RSS MB',
        crier: help.peakRssBytes / 2 ** 20,
        baseline: base.peakRssBytes / 2 ** 20,
        baselineName: 'node -e 0',
        unit: 'MB',
        ratio: help.peakRssBytes / base.peakRssBytes,
      });
  } finally {
    await redis.stop();
  }
}

// --- The pipeline against raw BullMQ ------------------------------------------------------------------
/**
 * Each comparison is `MODE.drainRounds` rounds of one raw drain then one Crier drain (a machine that slows down
 * or speeds up meanwhile touches both alike); the figures are the median round's, by the ratio of posts/s
 * (throughput) or by Crier's own posts/s (the latency bound's share is Crier's alone), and every round's
 * posts/s goes to bench/results.json.
 */
const drains: Record<string, DrainResult & { rounds: Array<{ raw: number; crier: number }> }> = {};
async function drainBoth(name: string, posts: number, latencyMs: number, by: 'ratio' | 'crier') {
  const rounds: Array<{ raw: DrainResult; crier: DrainResult }> = [];
  for (let round = 1; round <= MODE.drainRounds; round++) {
    const pair: Partial<Record<'raw' | 'crier', DrainResult>> = {};
    for (const variant of ['raw', 'crier'] as const) {
      log(
        `${name} ${round}/${MODE.drainRounds}: ${variant}, ${posts} posts, concurrency ${CONCURRENCY}, fakes answer after ${latencyMs} ms`,
      );
      pair[variant] = await drain({
        variant,
        posts,
        concurrency: CONCURRENCY,
        latencyMs,
        certPath: tls.certPath,
        keyPath: tls.keyPath,
        workDir: join(work, `${name}-${variant}-${round}`),
      });
    }
    rounds.push(pair as { raw: DrainResult; crier: DrainResult });
  }
  const key = (r: (typeof rounds)[number]) =>
    by === 'ratio' ? r.crier.postsPerSecond / r.raw.postsPerSecond : r.crier.postsPerSecond;
  const median = [...rounds].sort((a, b) => key(a) - key(b))[Math.floor(rounds.length / 2)]!;
  const perRound = rounds.map((r) => ({ raw: r.raw.postsPerSecond, crier: r.crier.postsPerSecond }));
  drains[`${name}-raw`] = { ...median.raw, rounds: perRound };
  drains[`${name}-crier`] = { ...median.crier, rounds: perRound };
  log(
    `${name}: posts/s per round (raw, crier): ${perRound.map((r) => `${r.raw.toFixed(0)}, ${r.crier.toFixed(0)}`).join('; ')}`,
  );
}

if (wants('pipeline')) {
  await drainBoth('throughput', MODE.posts, 0, 'ratio');
  const c = drains['throughput-crier']!;
  const r = drains['throughput-raw']!;
  const section = `pipeline (${c.posts} posts, concurrency ${CONCURRENCY})`;
  const vsRaw = (measure: string, crier: number, raw: number, unit: string, target?: string, met?: boolean) =>
    record({
      section,
      measure,
      crier,
      baseline: raw,
      baselineName: 'raw BullMQ',
      unit,
      ratio: crier / raw,
      target,
      met,
    });
  const throughput = c.postsPerSecond / r.postsPerSecond;
  vsRaw(
    'throughput, fakes answer at once: posts/s',
    c.postsPerSecond,
    r.postsPerSecond,
    'posts/s',
    '>= 0.5x',
    throughput >= 0.5,
  );
  vsRaw(
    'Redis round trips per post',
    c.roundTripsPerPost,
    r.roundTripsPerPost,
    '',
    '<= 6',
    c.roundTripsPerPost <= 6,
  );
  vsRaw('Redis commands per post (incl. inside scripts)', c.commandsPerPost, r.commandsPerPost, '');
  vsRaw('worker CPU per post: ms', c.cpuMsPerPost, r.cpuMsPerPost, 'ms');
  const mb = (b: number) => b / 2 ** 20;
  const full = c.posts >= 10_000;
  vsRaw(
    `worker RSS after ${c.posts} posts: MB`,
    mb(c.rss.end),
    mb(r.rss.end),
    'MB',
    '< 200 MB',
    mb(c.rss.end) < 200,
  );
  record({
    section,
    measure: 'worker RSS growth after warm-up: MB per 1,000 posts',
    crier: mb(c.rssSlopePer1000),
    baseline: mb(r.rssSlopePer1000),
    baselineName: 'raw BullMQ',
    unit: 'MB',
    target: full ? '<= 1 (flat)' : 'full run only',
    met: full ? mb(c.rssSlopePer1000) <= 1 : undefined,
  });
  // Crier keeps the newest 1,000 finished jobs of each queue (publishing.keepFinishedJobs): a drain smaller than
  // that keeps them all, and says what a job weighs, not what the retention keeps.
  vsRaw(
    'Redis bytes kept per post (MEMORY USAGE)',
    c.bytesPerPost,
    r.bytesPerPost,
    'B',
    full ? '<= 4096' : 'full run only',
    full ? c.bytesPerPost <= 4096 : undefined,
  );
}

if (wants('latency')) {
  await drainBoth('latency', MODE.latencyPosts, LATENCY_MS, 'crier');
  const c = drains['latency-crier']!;
  const r = drains['latency-raw']!;
  // Three publish queues, each with CONCURRENCY posts in flight that take LATENCY_MS: the most posts/s.
  const bound = (3 * CONCURRENCY * 1000) / LATENCY_MS;
  record({
    section: `pipeline (${c.posts} posts, concurrency ${CONCURRENCY})`,
    measure: `share of the latency bound (${bound} posts/s), fakes answer after ${LATENCY_MS} ms`,
    crier: c.postsPerSecond / bound,
    baseline: r.postsPerSecond / bound,
    baselineName: 'raw BullMQ',
    unit: '',
    ratio: c.postsPerSecond / r.postsPerSecond,
    target: '>= 0.8',
    met: c.postsPerSecond / bound >= 0.8,
  });
}
if (Object.keys(drains).length) results.pipeline = drains;

// --- Stage by stage (only when asked: --only stages) ---------------------------------------------------
/**
 * Each stage drained alone, raw BullMQ then Crier: the worker's CPU time per article for ingest, compose and
 * publishing (three posts). Where a difference in the whole pipeline comes from (docs/performance.md).
 */
if (only?.has('stages')) {
  const posts = quick ? 900 : 6000;
  const byVariant: Record<string, StageResult[]> = {};
  for (const variant of ['raw', 'crier'] as const) {
    log(`stages: ${variant}, ${posts} posts, each stage alone, concurrency ${CONCURRENCY}`);
    byVariant[variant] = await stages({
      variant,
      posts,
      concurrency: CONCURRENCY,
      latencyMs: 0,
      certPath: tls.certPath,
      keyPath: tls.keyPath,
      workDir: join(work, `stages-${variant}`),
    });
  }
  for (const c of byVariant.crier!) {
    const r = byVariant.raw!.find((x) => x.stage === c.stage)!;
    record({
      section: `stages (${c.articles} articles, concurrency ${CONCURRENCY})`,
      measure: `${c.stage}${c.stage === 'publish' ? ' (3 posts)' : ''} alone: worker CPU ms per article`,
      crier: c.cpuMsPerArticle,
      baseline: r.cpuMsPerArticle,
      baselineName: 'raw BullMQ',
      unit: 'ms',
      ratio: c.cpuMsPerArticle / r.cpuMsPerArticle,
    });
  }
  results.stages = byVariant;
}

// --- Profile of the publish path ----------------------------------------------------------------------
if (profile) {
  const posts = quick ? 600 : 3000;
  log(`profile: crier, ${posts} posts, CPU profile and MONITOR`);
  const cpuProfile = join(work, 'worker.cpuprofile');
  const d = await drain({
    variant: 'crier',
    posts,
    concurrency: CONCURRENCY,
    latencyMs: 0,
    certPath: tls.certPath,
    keyPath: tls.keyPath,
    workDir: join(work, 'profile'),
    cpuProfile,
    monitor: true,
  });
  const cpu = summariseProfile(cpuProfile, 30);
  const commands = classifyCommands(d.monitorLines ?? [], PREFIX, keyKind, d.posts);
  results.profile = { posts: d.posts, cpu, commands };
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/profile.json'), `${JSON.stringify(results.profile, null, 2)}\n`);
}

// --- Report -------------------------------------------------------------------------------------------
const fmt = (x: number | undefined, unit = '') => {
  if (x === undefined || !Number.isFinite(x)) return '';
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3;
  return unit === 'B' ? Math.round(x).toString() : x.toFixed(digits);
};
const table: string[][] = [['section', 'measure', 'Crier', 'baseline', 'ratio', 'target', 'met']];
for (const r of rows) {
  table.push([
    r.section,
    r.measure,
    fmt(r.crier, r.unit),
    r.baseline === undefined ? '' : `${fmt(r.baseline, r.unit)} (${r.baselineName})`,
    r.ratio === undefined ? '' : `${fmt(r.ratio)}x`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
}
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
const out = [
  line(table[0]!),
  `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  ...table.slice(1).map(line),
];

let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
} catch {
  commit = 'unknown';
}
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  os: `${process.platform} ${release()}`,
  loadAverage: {
    start: load0.map((x) => Number(x.toFixed(2))),
    end: loadavg().map((x) => Number(x.toFixed(2))),
  },
};
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
console.log(`${command} · ${startedAt.toISOString()} · commit ${commit}`);
console.log(
  `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage.start.join('/')} → ${machine.loadAverage.end.join('/')}`,
);
console.log(out.join('\n'));
if (results.profile) {
  const p = results.profile as {
    posts: number;
    cpu: ReturnType<typeof summariseProfile>;
    commands: ReturnType<typeof classifyCommands>;
  };
  console.log(`\nCrier worker CPU profile over ${p.posts} posts (self time, top 15):`);
  for (const f of p.cpu.topFunctions.slice(0, 15))
    console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.name}`);
  console.log('by package or file, native work counted for whoever asked for it (top 12):');
  for (const f of p.cpu.byArea.slice(0, 12))
    console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.name}`);
  console.log("Crier's functions by inclusive time (top 15):");
  for (const f of p.cpu.projectInclusive.slice(0, 15))
    console.log(`  ${(100 * f.share).toFixed(1).padStart(5)} %  ${f.name}`);
  console.log('Redis commands the worker sends, per post (top 20):');
  for (const c of p.commands.slice(0, 20)) console.log(`  ${c.perPost.toFixed(2).padStart(6)}  ${c.name}`);
}
const missed = rows.filter((r) => r.met === false).length;
// A partial run (--only) does not replace the figures of the last whole run.
const resultsFile = only ? 'bench/results-partial.json' : 'bench/results.json';
console.log(`${missed ? `${missed} target(s) missed` : 'all targets met'}; figures in ${resultsFile}`);

mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(
  join(ROOT, resultsFile),
  `${JSON.stringify({ command, date: startedAt.toISOString(), commit, machine, mode: quick ? 'quick' : 'full', rows, table: out, results }, null, 2)}\n`,
);
rmSync(work, { recursive: true, force: true });
// Every process the bench started is stopped by now; a client library's idle timer must not keep it alive.
process.exit(missed ? 1 : 0);
