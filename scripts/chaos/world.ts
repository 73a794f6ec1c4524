import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import type { PlatformName } from '../../src/core/platform.js';
import type { FacebookFake } from '../../src/platforms/facebook/fake.js';
import { type AllFakes, startAllFakes } from '../../src/platforms/fake/all.js';
import type { FakeServer } from '../../src/platforms/fake/server.js';
import { ensureTestCertificate } from '../../src/platforms/fake/tls.js';
import type { LinkedInFake } from '../../src/platforms/linkedin/fake.js';
import type { TwitterFake } from '../../src/platforms/twitter/fake.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { type RunningReconciler, startReconciler } from '../../src/queue/reconciler.js';
import { type PrivateRedis, startRedisServer } from '../../src/queue/redis-server.js';

/**
 * One chaos run's world: private Redis (plain, append-only, or a Sentinel set), the three fake platforms with
 * their own duplicate refusal OFF (only Crier stands between a crash and a second copy), a workload of feeds
 * and single articles, and Crier itself as `crier worker` / `crier scheduler` processes that can be killed.
 */
export const CHAOS_PLATFORMS = ['twitter', 'facebook', 'linkedin'] as const satisfies readonly PlatformName[];
export type ChaosPlatform = (typeof CHAOS_PLATFORMS)[number];
export const ACCOUNTS: Record<ChaosPlatform, string> = {
  twitter: 'x-main',
  facebook: 'fb-page',
  linkedin: 'li-page',
};

/** The fakes, with the three platforms' own test APIs by name. */
export interface ChaosFakes extends AllFakes {
  twitter: TwitterFake;
  facebook: FacebookFake;
  linkedin: LinkedInFake;
}

function named(all: AllFakes): ChaosFakes {
  return Object.assign(all, {
    twitter: all.get('twitter').fake as TwitterFake,
    facebook: all.get('facebook').fake as FacebookFake,
    linkedin: all.get('linkedin').fake as LinkedInFake,
  });
}

export interface WorldOptions {
  name: string;
  /** Redis: plain private, append-only (restarts keep what was acknowledged), or master + replica + Sentinel. */
  redis: 'plain' | 'aof' | 'sentinel';
  /** `accounts:` entries of the config (default: one immediate account per platform). */
  accountsYaml?: string;
  /** `publishing:` settings that differ from the chaos defaults. */
  publishing?: Record<string, number>;
  /** Random fake latency before and after storing (ms, uniform). */
  latency?: { beforeMs: number; afterMs: number };
  /** Extra YAML (e.g. sources). */
  extraYaml?: (dir: string) => string;
  /** The fakes' certificate (default: one made for the run); inline workers need one this process trusts. */
  tls?: { cert: string; key: string; certPath: string };
}

export interface SentinelNodes {
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinel: PrivateRedis;
}

const CLI = resolve('bin/crier.js');
const PREFIX = 'chaos';

export class World {
  readonly procs = new Map<string, ChildProcess>();
  private inline: RunningWorkers[] = [];
  private reconciler?: RunningReconciler;
  private logs = 0;
  expected: string[] = [];

  private constructor(
    readonly opts: WorldOptions,
    readonly dir: string,
    readonly fakes: ChaosFakes,
    readonly ctx: AppContext,
    readonly env: NodeJS.ProcessEnv,
    readonly configPath: string,
    readonly redis: PrivateRedis[],
    readonly sentinel?: SentinelNodes,
  ) {}

  static async start(opts: WorldOptions): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), `crier-chaos-${opts.name}-`));
    const tls = opts.tls ?? (await ensureTestCertificate(dir));
    const fakes = named(await startAllFakes(tls));
    quietFakes(fakes, opts.latency);
    const { url, nodes, sentinel } = await startRedis(opts.redis);
    const yaml = configYaml(opts, dir);
    const configPath = join(dir, 'crier.yaml');
    writeFileSync(configPath, yaml);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...fakes.env(),
      NODE_EXTRA_CA_CERTS: tls.certPath,
      REDIS_URL: url,
      CRIER_PREFIX: PREFIX,
      CRIER_CONFIG: configPath,
      LOG_FORMAT: 'json',
    };
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const logger = pino({ level: 'info' }, pino.destination(join(dir, 'logs', 'driver.log')));
    const ctx = await createContext({
      config: parseConfig(yaml, configPath),
      env: { ...fakes.env(), REDIS_URL: url, CRIER_PREFIX: PREFIX },
      logger,
      forWorker: true,
    });
    return new World(opts, dir, fakes, ctx, env, configPath, nodes, sentinel);
  }

  /** Starts (or restarts) a `crier <args>` process under a name. */
  spawn(name: string, args: string[]): ChildProcess {
    const log = openSync(join(this.dir, 'logs', `${name}-${this.logs++}.log`), 'w');
    const child = spawn(process.execPath, [CLI, ...args], { env: this.env, stdio: ['ignore', log, log] });
    this.procs.set(name, child);
    return child;
  }

  /** SIGKILL (no cleanup, no last log line); resolves once the process is gone. */
  async kill(name: string): Promise<void> {
    const c = this.procs.get(name);
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** Workers inside this process (tests: no process start-up cost), with the reconciler. */
  startInline(count: number): void {
    for (let i = 0; i < count; i++) this.inline.push(startWorkers(this.ctx));
    this.reconciler ??= startReconciler(this.ctx);
  }

  /** Writes `feeds` feeds of `perFeed` articles and `singles` plain-text articles; returns their sources. */
  workload(w: { feeds: number; perFeed: number; singles: number }): Source[] {
    const sources: Source[] = [];
    for (let f = 0; f < w.feeds; f++) {
      const links = Array.from(
        { length: w.perFeed },
        (_, i) => `https://news.example.org/${this.opts.name}/feed${f}-${i}`,
      );
      const path = join(this.dir, `feed-${f}.xml`);
      writeFileSync(path, rss(links));
      sources.push({ location: path, links });
      this.expected.push(...links);
    }
    for (let s = 0; s < w.singles; s++) {
      const link = `https://news.example.org/${this.opts.name}/single-${s}`;
      const path = join(this.dir, `single-${s}.txt`);
      writeFileSync(path, article(`Single story ${s}`, s));
      sources.push({ location: path, url: link, links: [link] });
      this.expected.push(link);
    }
    return sources;
  }

  /** Queues a source as `crier publish` does. */
  async publish(s: Source): Promise<void> {
    await enqueueIngest(this.ctx, {
      location: s.location,
      kind: 'auto',
      url: s.url,
      fullText: 'never',
      correlationId: `chaos-${articleId(canonicalKey(s.links[0]!))}`,
    });
  }

  /** How many posts the fakes hold (all platforms). */
  posted(): number {
    return (
      this.fakes.twitter.posts().length +
      this.fakes.facebook.posts().length +
      this.fakes.linkedin.posts().length
    );
  }

  /** Requests the fakes received (all platforms): a clock that only runs while Crier works. */
  requests(): number {
    return fakeServers(this.fakes).reduce((n, s) => n + s.requests.length, 0);
  }

  async close(): Promise<void> {
    for (const name of this.procs.keys()) await this.kill(name);
    await this.reconciler?.stop();
    for (const w of this.inline) await w.close(2000);
    await this.ctx.close();
    await this.fakes.close();
    for (const r of this.redis) r.stop();
  }
}

export interface Source {
  location: string;
  url?: string;
  links: string[];
}

export function fakeServers(f: ChaosFakes): FakeServer[] {
  return [f.twitter.server, f.facebook, f.linkedin.server];
}

/** Duplicate refusal off, limits out of the way (the runs post hundreds), latency when asked. */
function quietFakes(f: ChaosFakes, latency?: WorldOptions['latency']): void {
  f.twitter.setState({
    config: { duplicateWindowMs: 0 },
    limits: {
      userDay: 100_000,
      appDay: 100_000,
      window: { tweets: 100_000, timeline: 100_000, me: 100_000, media: 100_000, delete: 100_000 },
    },
  });
  f.facebook.setState({ limits: { duplicateRule: 'off' } });
  f.linkedin.setState({
    config: { duplicateCheck: false, memberDailyLimit: 100_000, appDailyLimit: 1_000_000 },
  });
  if (latency) for (const s of fakeServers(f)) s.latency = latency;
}

async function startRedis(kind: WorldOptions['redis']) {
  if (kind !== 'sentinel') {
    const r = await startRedisServer({ appendOnly: kind === 'aof' });
    return { url: r.url, nodes: [r], sentinel: undefined };
  }
  const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  // As in production, the run starts once the replica is in sync (a failover to a replica that is not loses
  // everything: docs/reliability.md).
  const probe = new Redis(master.url);
  try {
    for (let i = 0; i < 200; i++) {
      const role = (await probe.call('ROLE')) as [string, number, unknown[]];
      if (Array.isArray(role[2]) && role[2].length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    probe.disconnect();
  }
  const sentinel = await startRedisServer({
    sentinelConfig: [
      `sentinel monitor crier 127.0.0.1 ${master.port} 1`,
      'sentinel down-after-milliseconds crier 1000',
      'sentinel failover-timeout crier 10000',
    ].join('\n'),
  });
  return {
    url: `redis+sentinel://127.0.0.1:${sentinel.port}/crier`,
    nodes: [sentinel, replica, master],
    sentinel: { master, replica, sentinel },
  };
}

function configYaml(o: WorldOptions, dir: string): string {
  const accounts =
    o.accountsYaml ??
    Object.entries(ACCOUNTS)
      .map(([p, id]) => `  - { id: ${id}, platform: ${p} }`)
      .join('\n');
  const publishing = {
    attempts: 10,
    backoffMs: 300,
    requestTimeoutMs: 2000,
    retentionDays: 1,
    holdRecheckMs: 1000,
    lockDurationMs: 2000,
    maxStalls: 100,
    reconcileIntervalMs: 2000,
    ...o.publishing,
  };
  return `site: { name: Chaos Daily, url: https://news.example.org }
accounts:
${accounts}
publishing:
${Object.entries(publishing)
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}
${o.extraYaml?.(dir) ?? ''}
`;
}

const SENTENCES = [
  'The harbour council approved the new flood wall on Monday after two years of debate.',
  'Engineers say the wall will rise almost two metres above the old quay and include six gates.',
  'Residents who opposed the plan won a promenade on top of the wall and four viewing platforms.',
  'The national flood fund will pay two thirds of the cost, which is estimated at 41 million euros.',
  'Work on the first section, near the ferry terminal, is due to start in March next year.',
  'The mayor said the vote was the hardest of her term but that families could not keep rebuilding.',
];

function article(title: string, n: number): string {
  const body = SENTENCES.map((s, i) => SENTENCES[(i + n) % SENTENCES.length] ?? s).join(' ');
  return `${title}\n\n${body}\n\n${SENTENCES.slice(0, 3).join(' ')}\n`;
}

function rss(links: string[]): string {
  const items = links.map((link, i) => {
    const d = new Date(Date.UTC(2026, 10, 1, 9, i)).toUTCString();
    const text = SENTENCES.map((_, j) => SENTENCES[(i + j) % SENTENCES.length]).join(' ');
    return `<item><title>Story ${link.split('/').pop()}</title><link>${link}</link><guid>${link}</guid>
      <pubDate>${d}</pubDate><description>${text}</description></item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Chaos wire</title>
    <link>https://news.example.org</link><description>d</description>${items.join('')}</channel></rss>`;
}
