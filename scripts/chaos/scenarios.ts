import { Redis } from 'ioredis';
import { resumeAccounts } from '../../src/control/posts.js';
import type { FakeRequest, FaultAction } from '../../src/platforms/fake/server.js';
import { LINKEDIN_FAKE_CREDENTIALS } from '../../src/platforms/linkedin/fake.js';
import { TWITTER_FAKE_CREDENTIALS } from '../../src/platforms/twitter/fake.js';
import { allPosted, type Tally, tally } from './verify.js';
import { fakeServers, type Source, World, type WorldOptions } from './world.js';

export type Size = 'full' | 'reduced';

export interface ScenarioResult extends Tally {
  scenario: string;
  wallMs: number;
  /** What the scenario did (kills, restarts, faults), for the report. */
  notes: string;
}

export interface RunOptions {
  size: Size;
  /** Workers as processes (default), or inside this process where nothing kills them (faster tests). */
  inline?: boolean;
  /** Multiplies every deadline (CRIER_TEST_SLOWDOWN on a loaded machine). */
  slowdown?: number;
  random?: () => number;
  log?: (line: string) => void;
  /** The fakes' certificate (tests: the one their process trusts, for inline workers). */
  tls?: WorldOptions['tls'];
}

/** Waits for a condition with a deadline (never a fixed sleep); `false` when the deadline passed. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded random source (mulberry32), so a run can be replayed with its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ctx {
  o: RunOptions;
  rnd: () => number;
  ms: (n: number) => number;
  say: (s: string) => void;
}

function ctxOf(o: RunOptions): Ctx {
  const slowdown = o.slowdown ?? 1;
  return { o, rnd: o.random ?? Math.random, ms: (n) => Math.round(n * slowdown), say: o.log ?? (() => {}) };
}

const shuffle = <T>(xs: T[], rnd: () => number) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

/** Starts the workers: `n` `crier worker` processes, or inline ones. */
function workers(w: World, c: Ctx, n: number): string[] {
  if (c.o.inline) {
    w.startInline(1);
    return [];
  }
  const names = Array.from({ length: n }, (_, i) => `worker-${i}`);
  for (const name of names) w.spawn(name, ['worker']);
  return names;
}

/** Share of the expected posts the platforms hold (0..1). */
const progress = (w: World) => w.posted() / Math.max(1, w.expected.length * 3);

/** Publishes the sources one after the other, at random moments, while the rest of the scenario goes on. */
async function trickle(w: World, c: Ctx, sources: Source[], maxGapMs: number): Promise<void> {
  for (const s of shuffle(sources, c.rnd)) {
    await w.publish(s);
    await pause(c.rnd() * maxGapMs);
  }
}

/** Lets the work finish (every post recorded as posted, or the deadline), then until the platforms are quiet. */
async function settle(w: World, c: Ctx, timeoutMs: number): Promise<void> {
  await until(() => allPosted(w), c.ms(timeoutMs));
  let last = -1;
  await until(async () => {
    const now = w.requests();
    const quiet = now === last;
    last = now;
    if (!quiet) await pause(1000);
    return quiet;
  }, c.ms(15_000));
}

async function finish(
  w: World,
  c: Ctx,
  scenario: string,
  started: number,
  notes: string,
): Promise<ScenarioResult> {
  const t = await tally(w);
  c.say(`${scenario}: ${t.once}/${t.expected} once, ${t.lost} lost, ${t.doubled} doubled, ${t.stuck} stuck`);
  for (const p of t.problems.slice(0, 20)) c.say(`  ${p}`);
  return { scenario, ...t, wallMs: Date.now() - started, notes };
}

/** 1. SIGKILL storm: workers killed at random moments (and started again) while feeds and articles flow. */
export async function killStorm(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const p = full
    ? { feeds: 4, perFeed: 10, singles: 30, workers: 3, kills: 50 }
    : { feeds: 1, perFeed: 3, singles: 3, workers: 2, kills: 6 };
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'kill-storm',
    redis: 'plain',
    latency: { beforeMs: 150, afterMs: 150 },
  });
  try {
    const names = workers(w, c, p.workers);
    const sources = w.workload(p);
    const submitting = trickle(w, c, sources, full ? 1500 : 400);
    for (let k = 0; k < p.kills; k++) {
      // A random moment: after a random number of platform requests, or a random time, whichever first.
      const from = w.requests();
      const n = 1 + Math.floor(c.rnd() * 8);
      await Promise.race([
        until(() => w.requests() >= from + n, c.ms(10_000)),
        pause(300 + c.rnd() * (full ? 2500 : 1200)),
      ]);
      const victim = names[Math.floor(c.rnd() * names.length)]!;
      await w.kill(victim);
      w.spawn(victim, ['worker']);
    }
    await submitting;
    await settle(w, c, full ? 240_000 : 60_000);
    return await finish(
      w,
      c,
      'SIGKILL storm',
      started,
      `${p.workers} workers, ${p.kills} SIGKILLs, fakes answer after 0-150 ms before and after storing`,
    );
  } finally {
    await w.close();
  }
}

/** 2. Redis (append-only file on) restarted three times in the middle of a burst. */
export async function redisRestarts(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const p = full ? { feeds: 2, perFeed: 10, singles: 10 } : { feeds: 1, perFeed: 3, singles: 2 };
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'redis-restart',
    redis: 'aof',
    latency: { beforeMs: 50, afterMs: 50 },
  });
  try {
    workers(w, c, 2);
    const sources = w.workload(p);
    for (const s of sources) await w.publish(s);
    for (const at of [0.2, 0.45, 0.7]) {
      await until(() => progress(w) >= at, c.ms(full ? 120_000 : 45_000));
      await w.redis[0]!.kill();
      await pause(c.rnd() * 1500); // down for a moment
      await w.redis[0]!.restart();
    }
    await settle(w, c, full ? 180_000 : 60_000);
    return await finish(
      w,
      c,
      'Redis restarted 3 times (AOF)',
      started,
      '2 workers; Redis SIGKILLed and restarted at 20%, 45% and 70% of the posts',
    );
  } finally {
    await w.close();
  }
}

/** 3. Sentinel: the master is killed mid-run; the replica is promoted. */
export async function sentinelFailover(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const p = full ? { feeds: 2, perFeed: 10, singles: 10 } : { feeds: 1, perFeed: 3, singles: 2 };
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'sentinel',
    redis: 'sentinel',
    latency: { beforeMs: 50, afterMs: 50 },
  });
  try {
    workers(w, c, 2);
    for (const s of w.workload(p)) await w.publish(s);
    await until(() => progress(w) >= 0.3, c.ms(full ? 120_000 : 45_000));
    await w.sentinel!.master.kill();
    const probe = new Redis({ host: '127.0.0.1', port: w.sentinel!.sentinel.port });
    const promoted = await until(async () => {
      const [, port] = (await probe.call('SENTINEL', 'get-master-addr-by-name', 'crier')) as [string, string];
      return Number(port) === w.sentinel!.replica.port;
    }, c.ms(30_000));
    probe.disconnect();
    await settle(w, c, full ? 180_000 : 60_000);
    return await finish(
      w,
      c,
      'Sentinel failover',
      started,
      `master + replica + Sentinel; master SIGKILLed at 30%${promoted ? '' : ' (replica NOT promoted)'}`,
    );
  } finally {
    await w.close();
  }
}

/** 4. API storm: 30% of posts fail (5xx, lost answers after storing, drops, timeouts), look-ups refused, 429 bursts. */
export async function apiStorm(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const p = full ? { feeds: 2, perFeed: 10, singles: 10 } : { feeds: 1, perFeed: 3, singles: 2 };
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'api-storm',
    redis: 'plain',
    publishing: { attempts: 20 },
  });
  try {
    for (const s of fakeServers(w.fakes)) s.randomFault = stormFault(c.rnd);
    workers(w, c, 2);
    for (const s of w.workload(p)) await w.publish(s);
    // 429 bursts with reset headers, one platform at a time, as the posts go out.
    for (const at of [0.15, 0.4, 0.65]) {
      await until(() => progress(w) >= at, c.ms(full ? 120_000 : 45_000));
      const which = Math.floor(c.rnd() * 3);
      if (which === 0) w.fakes.twitter.rateLimitFor(1500);
      else if (which === 1) w.fakes.facebook.rateLimitFor(1500, { code: 613, regainMinutes: 0.025 });
      else {
        const now = Date.now();
        w.fakes.linkedin.server.clock.offsetMs = Math.ceil((now + 1) / 86_400_000) * 86_400_000 - 1500 - now;
        w.fakes.linkedin.rateLimitFor(1500);
      }
    }
    await settle(w, c, full ? 240_000 : 75_000);
    for (const s of fakeServers(w.fakes)) s.randomFault = undefined;
    return await finish(
      w,
      c,
      'API storm',
      started,
      '30% of posts: 503 before storing, 500 after storing, dropped before/after, no answer (timeout); 15% of look-ups refused (403/400) or 503; three 429 bursts with reset',
    );
  } finally {
    await w.close();
  }
}

const CREATE = (r: FakeRequest) =>
  r.method === 'POST' && (r.path === '/2/tweets' || r.path.endsWith('/feed') || r.path === '/rest/posts');
const LISTING = (r: FakeRequest) =>
  r.method === 'GET' &&
  (/\/2\/users\/\d+\/tweets$/.test(r.path) || r.path.endsWith('/feed') || r.path === '/rest/posts');

function serverError(r: FakeRequest) {
  if (r.path.startsWith('/2/'))
    return {
      status: 503,
      body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
    };
  if (r.path.startsWith('/rest/'))
    return { status: 500, body: { status: 500, message: 'Internal Server Error' } };
  return {
    status: 500,
    body: {
      error: {
        message: 'An unexpected error has occurred.',
        type: 'OAuthException',
        code: 2,
        is_transient: true,
      },
    },
  };
}

function refusal(r: FakeRequest) {
  if (r.path.startsWith('/rest/'))
    return {
      status: 403,
      body: {
        status: 403,
        serviceErrorCode: 100,
        code: 'ACCESS_DENIED',
        message: 'Not enough permissions to access: partnerApiPostsExternal.FINDER-author',
      },
    };
  if (r.path.startsWith('/2/')) return serverError(r);
  return {
    status: 400,
    body: {
      error: { message: 'Unsupported request - method type: get', type: 'GraphMethodException', code: 100 },
    },
  };
}

function stormFault(rnd: () => number): (r: FakeRequest) => FaultAction | undefined {
  return (r) => {
    if (CREATE(r) && rnd() < 0.3) {
      const x = rnd();
      if (x < 0.3) return { mode: 'respond', response: serverError(r) };
      if (x < 0.55) return { mode: 'respond-after-handling', response: serverError(r) };
      if (x < 0.7) return { mode: 'drop' };
      if (x < 0.85) return { mode: 'drop-after-handling' };
      return { mode: 'hang', afterHandling: rnd() < 0.5 };
    }
    if (LISTING(r) && rnd() < 0.15)
      return { mode: 'respond', response: rnd() < 0.6 ? refusal(r) : serverError(r) };
    return undefined;
  };
}

/** 5. Two schedulers and three workers, per-second and per-15-s posting slots; one scheduler killed. */
export async function schedulers(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const perFeed = full ? 6 : 3;
  const slow = full ? '*/15 * * * * *' : '* * * * * *';
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'schedulers',
    redis: 'plain',
    accountsYaml: [
      '  - { id: x-main, platform: twitter, schedule: { mode: slots, slots: ["* * * * * *"], timezone: UTC } }',
      '  - { id: fb-page, platform: facebook, schedule: { mode: slots, slots: ["* * * * * *"], timezone: Europe/Paris } }',
      `  - { id: li-page, platform: linkedin, schedule: { mode: slots, slots: ["${slow}"], timezone: UTC } }`,
    ].join('\n'),
    extraYaml: (dir) =>
      `sources:\n${[0, 1].map((f) => `  - { id: wire-${f}, location: ${dir}/feed-${f}.xml, fullText: never, schedule: { cron: "*/2 * * * * *" } }`).join('\n')}\n`,
  });
  try {
    w.workload({ feeds: 2, perFeed, singles: 0 }); // the configured sources read these files
    w.spawn('scheduler-a', ['scheduler']);
    w.spawn('scheduler-b', ['scheduler']);
    workers(w, c, full ? 3 : 1);
    await until(() => progress(w) >= 0.3, c.ms(full ? 180_000 : 60_000));
    await w.kill('scheduler-a');
    await settle(w, c, full ? 300_000 : 90_000);
    const slots = await slotsUsedTwice(w);
    const r = await finish(
      w,
      c,
      'Two schedulers, one killed',
      started,
      `2 schedulers + ${full ? 3 : 1} workers; slots per second (X, Facebook) and ${full ? 'per 15 s' : 'per second'} (LinkedIn); scheduler A SIGKILLed at 30%; ${slots} slot(s) sent two posts`,
    );
    if (slots) r.problems.push(`${slots} posting slot(s) sent more than one post`);
    return r;
  } finally {
    await w.close();
  }
}

/** Posting slots that sent more than one post of an account (each slot must send at most one). */
async function slotsUsedTwice(w: World): Promise<number> {
  let twice = 0;
  for (const q of Object.values(w.ctx.queues.publish)) {
    const seen = new Set<string>();
    for (const job of await q.getCompleted(0, 999)) {
      if (job.returnvalue?.outcome !== 'posted' || !job.data.slot) continue;
      const k = `${job.data.account} ${job.data.slot}`;
      if (seen.has(k)) twice += 1;
      seen.add(k);
    }
  }
  return twice;
}

/** 6. Every account's token expires mid-run, then is renewed (and the operator resumes the accounts). */
export async function tokenExpiry(o: RunOptions): Promise<ScenarioResult> {
  const c = ctxOf(o);
  const full = o.size === 'full';
  const p = full ? { feeds: 2, perFeed: 10, singles: 10 } : { feeds: 1, perFeed: 3, singles: 2 };
  const started = Date.now();
  const w = await World.start({
    tls: o.tls,
    name: 'token-expiry',
    redis: 'plain',
    latency: { beforeMs: 50, afterMs: 50 },
  });
  try {
    workers(w, c, 2);
    for (const s of w.workload(p)) await w.publish(s);
    await until(() => progress(w) >= 0.3, c.ms(full ? 120_000 : 45_000));
    w.fakes.twitter.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'expired');
    w.fakes.facebook.setToken('expired');
    w.fakes.linkedin.setToken(LINKEDIN_FAKE_CREDENTIALS.accessToken, 'expired');
    const held = await until(async () => {
      const states = await Promise.all(
        ['x-main', 'fb-page', 'li-page'].map((a) => w.ctx.accountStates.get(a)),
      );
      return states.every((s) => s.health === 'needs-attention');
    }, c.ms(30_000));
    w.fakes.twitter.setTokenState(TWITTER_FAKE_CREDENTIALS.oauth1.accessToken, 'valid');
    w.fakes.facebook.setToken('valid');
    w.fakes.linkedin.setToken(LINKEDIN_FAKE_CREDENTIALS.accessToken, 'valid');
    for (const platform of ['twitter', 'facebook', 'linkedin']) await resumeAccounts(w.ctx, platform);
    await settle(w, c, full ? 180_000 : 60_000);
    return await finish(
      w,
      c,
      'Token expired, then renewed',
      started,
      `tokens of all three accounts expired at 30%${held ? ' (every account held, needs attention)' : ''}, renewed, accounts resumed`,
    );
  } finally {
    await w.close();
  }
}

export const SCENARIOS = {
  'kill-storm': killStorm,
  'redis-restart': redisRestarts,
  sentinel: sentinelFailover,
  'api-storm': apiStorm,
  schedulers,
  'token-expiry': tokenExpiry,
} as const;

export type ScenarioName = keyof typeof SCENARIOS;
