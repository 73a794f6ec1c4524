import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import { type NamedFakes, startFakes } from './fakes.js';
import { deletePrefix, redisUrl, uniquePrefix } from './redis.js';
import { waitFor } from './wait.js';

export const TEST_CONFIG = `
site: { name: Boundless Ocean of Politics, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter, template: "{summary}\\n\\n{link}" }
  - { id: fb-page, platform: facebook }
  - { id: li-page, platform: linkedin }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1, holdRecheckMs: 500 }
# The tests' local web servers (article pages, images) are let through the fetch policy by address.
fetch: { allow: ["127.0.0.1"] }
`;

/** Captures pino JSON lines so tests can read the log as an admin would. */
export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    for (const l of chunk.toString().split('\n')) if (l.trim()) this.lines.push(JSON.parse(l));
    done();
  }
  events(event: string) {
    return this.lines.filter((l) => l.event === event);
  }
}

export interface Harness {
  ctx: AppContext;
  fakes: NamedFakes;
  log: LogSink;
  prefix: string;
  /** Runs `stop` first when the harness closes: processes writing under its prefix end before its keys go. */
  beforeClose(stop: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Three fakes + a context on real Redis with a private key prefix. */
export async function startHarness(
  opts: { yaml?: string; env?: Record<string, string>; fakes?: NamedFakes } = {},
): Promise<Harness> {
  const fakes = opts.fakes ?? (await startFakes());
  const prefix = uniquePrefix();
  const log = new LogSink();
  const ctx = await createContext({
    config: parseConfig(opts.yaml ?? TEST_CONFIG, '/test/crier.yaml'),
    env: { ...fakes.env(), REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...opts.env },
    logger: pino({ level: 'debug' }, log),
  });
  const stops: Array<() => Promise<void>> = [];
  return {
    ctx,
    fakes,
    log,
    prefix,
    beforeClose(stop) {
      stops.push(stop);
    },
    async close() {
      for (const stop of stops.splice(0)) await stop();
      await ctx.close();
      if (!opts.fakes) await fakes.close();
      await deletePrefix(prefix);
    },
  };
}

/** Waits for `check` with a deadline that CRIER_TEST_SLOWDOWN scales (tests/helpers/wait.ts). */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  stepMs = 50,
): Promise<void> {
  await waitFor(check, { timeoutMs, stepMs });
}

/**
 * A fresh harness (fakes, private prefix) with all workers running, for each test of a describe block.
 * Read `t.h` inside tests.
 */
export function useRunningHarness(
  opts: Parameters<typeof startHarness>[0] = {},
  hooks: { each?: boolean } = { each: true },
): { readonly h: Harness } {
  let h: Harness | undefined;
  let workers: RunningWorkers | undefined;
  const [before, after] = hooks.each ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    h = await startHarness(opts);
    workers = startWorkers(h.ctx);
  });
  after(async () => {
    await workers?.close();
    await h?.close();
  });
  return {
    get h() {
      if (!h) throw new Error('useRunningHarness: the harness exists only inside tests');
      return h;
    },
  };
}
