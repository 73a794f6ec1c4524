import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import type { LedgerRef } from '../../src/ledger/ledger.js';
import type { BlueskyFake } from '../../src/platforms/bluesky/fake.js';
import { sliceBytes } from '../../src/platforms/bluesky/richtext.js';
import type { MastodonFake } from '../../src/platforms/mastodon/fake.js';
import { enqueuePublish } from '../../src/queue/enqueue.js';
import { publishJobId } from '../../src/queue/names.js';
import { type PostSchedule, schedulesOf } from '../../src/schedule/plan.js';
import { runPostSlot } from '../../src/schedule/slot-actions.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import {
  CONSOLE_CONFIG,
  CONSOLE_CONFIG_ALL_PLATFORMS,
  type ConsoleHarness,
  STORM_URL,
  startConsoleHarness,
} from '../helpers/console.js';
import { until } from '../helpers/pipeline.js';
import { redisUrl } from '../helpers/redis.js';

const CLI = resolve('bin/crier.js');
const ID = articleId(canonicalKey(STORM_URL));
const X: LedgerRef = { articleId: ID, platform: 'twitter', account: 'x-main' };
const X_ID = publishJobId(ID, 'x-main');

/** `crier …` as a fresh process with exactly this environment (no deadline: these commands end by themselves). */
function spawnCrier(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

// Each command is a fresh process: seconds each on a loaded machine.
describe('crier edit / approve / reject / retract against the fakes', { timeout: 180_000 }, () => {
  let t: ConsoleHarness;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const crier = (args: string[]) => spawnCrier(args, env);

  beforeAll(async () => {
    t = await startConsoleHarness();
    dir = mkdtempSync(join(tmpdir(), 'crier-cli-console-'));
    writeFileSync(join(dir, 'crier.yaml'), CONSOLE_CONFIG);
    env = {
      ...process.env,
      ...t.h.fakes.env(),
      CRIER_CONFIG: join(dir, 'crier.yaml'),
      REDIS_URL: redisUrl(),
      CRIER_PREFIX: t.h.prefix,
    };
    delete env.LOG_FORMAT; // human lines on stdout (LOG_FORMAT=json would make every result JSON)
    await t.publish('storm.txt');
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'awaiting-approval');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the post as awaiting approval; neither a retry nor a slot sends it', async () => {
    const list = await crier(['schedule', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ id: X_ID, state: 'awaiting-approval' }),
    );
    const retry = await crier(['retry', X_ID]);
    expect(retry.code).toBe(2);
    expect(retry.stderr.trim()).toBe(
      `crier: ${X_ID} is awaiting approval: "crier approve ${X_ID}" lets it go, "crier reject ${X_ID}" drops it`,
    );
    // A publish job for it (a stray slot or retry) completes without posting.
    await enqueuePublish(t.h.ctx, { ...X, articleKey: 'k', correlationId: 'stray' }, { jobId: X_ID });
    await until(() => t.h.log.events('completed').some((l) => l.jobId === X_ID && l.outcome === 'held'));
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
    await (await t.h.ctx.queues.publish.twitter.getJob(X_ID))?.remove();
  });

  it('edit refuses a text past 280 with the count (exit 2, one line), then takes a valid one', async () => {
    const long = `${'The storm tested every link and the backup held. '.repeat(6).trim()}\n\n${STORM_URL}`;
    const refused = await crier(['edit', X_ID, '--text', long]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /X post is \d+\/280 weighted characters \(every link counts 23\): shorten it by \d+/,
    );
    const text = `Operators say the North Sea links held through the storm.\n\n${STORM_URL}`;
    const ok = await crier(['edit', X_ID, '--text', text]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toMatch(new RegExp(`^edited ${X_ID}: \\d+/280 weighted characters$`));
    expect((await t.h.ctx.ledger.get(X))!.post.text).toBe(text);
  });

  it('approve sends it to the fake; retract deletes it there; both refuse a second time', async () => {
    const approved = await crier(['approve', X_ID]);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`approved ${X_ID}`);
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'posted');
    const tweet = t.h.fakes.twitter.posts()[0]!;
    expect(tweet.text).toContain('Operators say the North Sea links held');
    expect((await crier(['approve', X_ID])).code).toBe(2);
    // --json: the same result for a machine.
    expect(JSON.parse((await crier(['schedule', 'list', '--json'])).stdout)).not.toContainEqual(
      expect.objectContaining({ id: X_ID }),
    );

    const retracted = await crier(['retract', X_ID]);
    expect(retracted.code).toBe(0);
    expect(retracted.stdout).toContain(`retracted ${X_ID}: deleted on twitter`);
    expect(t.h.fakes.twitter.deleted().map((d) => d.id)).toEqual([tweet.id]);
    expect((await t.h.ctx.ledger.get(X))!.state).toBe('retracted');
    const again = await crier(['retract', X_ID]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already retracted');
    expect((await crier(['retract', 'post-bogus'])).code).toBe(2);
  });

  it('reject drops a post awaiting approval', async () => {
    const url = 'https://news.example.org/2026/11/second';
    await t.publish('storm-corrected.txt', url);
    const ref = { articleId: articleId(canonicalKey(url)), platform: 'twitter' as const, account: 'x-main' };
    await until(async () => (await t.h.ctx.ledger.get(ref))?.state === 'awaiting-approval');
    const r = await crier(['reject', publishJobId(ref.articleId, 'x-main'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: publishJobId(ref.articleId, 'x-main'), state: 'cancelled' });
    expect((await t.h.ctx.ledger.get(ref))!.state).toBe('cancelled');
  });
});

const graphemes = (s: string) =>
  [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(s)].length;

describe('crier edit for Bluesky and Mastodon posts, by their own rules, against the fakes', {
  timeout: 180_000,
}, () => {
  const BSKY: LedgerRef = { articleId: ID, platform: 'bluesky', account: 'bsky' };
  const MASTO: LedgerRef = { articleId: ID, platform: 'mastodon', account: 'masto' };
  const BSKY_ID = publishJobId(ID, 'bsky');
  const MASTO_ID = publishJobId(ID, 'masto');
  const SENTENCE = 'The storm tested every link and the backup held. ';
  let t: ConsoleHarness;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const crier = (args: string[]) => spawnCrier(args, env);

  beforeAll(async () => {
    t = await startConsoleHarness({ yaml: CONSOLE_CONFIG_ALL_PLATFORMS });
    // The instance takes statuses of up to 700 characters: composing and editing ask it (/api/v2/instance).
    (t.h.fakes.get('mastodon').fake as MastodonFake).state.config.maxCharacters = 700;
    dir = mkdtempSync(join(tmpdir(), 'crier-cli-edit-'));
    writeFileSync(join(dir, 'crier.yaml'), CONSOLE_CONFIG_ALL_PLATFORMS);
    env = {
      ...process.env,
      ...t.h.fakes.env(),
      CRIER_CONFIG: join(dir, 'crier.yaml'),
      REDIS_URL: redisUrl(),
      CRIER_PREFIX: t.h.prefix,
    };
    delete env.LOG_FORMAT;
    await t.publish('storm.txt');
    await until(async () => (await t.h.ctx.ledger.get(BSKY))?.state === 'awaiting-approval');
    await until(async () => (await t.h.ctx.ledger.get(MASTO))?.state === 'awaiting-approval');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Bluesky: an edit past 300 graphemes is refused with its count; a valid one reaches the fake with its facets', async () => {
    const composed = (await t.h.ctx.ledger.get(BSKY))!.post.text;
    const long = `${SENTENCE.repeat(6).trim()}\n\n${STORM_URL}`;
    const n = graphemes(long);
    const refused = await crier(['edit', BSKY_ID, '--text', long]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`Bluesky post is ${n}/300 graphemes: shorten it by ${n - 300}`);
    expect((await t.h.ctx.ledger.get(BSKY))!.post.text).toBe(composed);

    const text = `Énergie ⚡ — Norway's hydro covered the gap, said Solberg. #NorthSea #Grid\n\n${STORM_URL}`;
    const ok = await crier(['edit', BSKY_ID, '--text', text]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(`edited ${BSKY_ID}: ${graphemes(text)}/300 graphemes`);

    expect((await crier(['approve', BSKY_ID])).code).toBe(0);
    await until(async () => (await t.h.ctx.ledger.get(BSKY))?.state === 'posted');
    const [record] = (t.h.fakes.get('bluesky').fake as BlueskyFake).posts();
    expect(record!.value.text).toBe(text);
    const at = (s: string) => Buffer.byteLength(text.slice(0, text.indexOf(s)));
    const facets = record!.value.facets ?? [];
    expect(
      facets.map((f) => [
        f.index.byteStart,
        f.index.byteEnd,
        sliceBytes(text, f.index.byteStart, f.index.byteEnd),
        f.features[0]?.uri ?? `#${f.features[0]?.tag}`,
      ]),
    ).toEqual([
      [at('#NorthSea'), at('#NorthSea') + 9, '#NorthSea', '#NorthSea'],
      [at('#Grid'), at('#Grid') + 5, '#Grid', '#Grid'],
      [at(STORM_URL), at(STORM_URL) + STORM_URL.length, STORM_URL, STORM_URL],
    ]);
    // What the ledger keeps (crier preview --json, the console) is what was sent.
    expect((await t.h.ctx.ledger.get(BSKY))!.post.facets).toEqual(facets);
  });

  it("Mastodon: an edit is held to the instance's limit, every link counted 23", async () => {
    const long = `${SENTENCE.repeat(15).trim()}\n\n${STORM_URL}`;
    const n = graphemes(long.replace(STORM_URL, '')) + 23;
    expect(n).toBeGreaterThan(700);
    const refused = await crier(['edit', MASTO_ID, '--text', long]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `Mastodon post is ${n}/700 characters (every link counts 23): shorten it by ${n - 700}`,
    );
    // Over Mastodon's default 500, within this instance's 700.
    const text = `${SENTENCE.repeat(11).trim()}\n\n${STORM_URL}`;
    const m = graphemes(text.replace(STORM_URL, '')) + 23;
    expect(m).toBeGreaterThan(500);
    const ok = await crier(['edit', MASTO_ID, '--text', text, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: MASTO_ID, text, count: `${m}/700 characters` });
    expect((await crier(['approve', MASTO_ID])).code).toBe(0);
    await until(async () => (await t.h.ctx.ledger.get(MASTO))?.state === 'posted');
    const statuses = (t.h.fakes.get('mastodon').fake as MastodonFake).posts();
    expect(statuses.map((s) => s.text)).toEqual([text]);
  });
});

describe('a slots account with approval: required', () => {
  let t: ConsoleHarness;
  afterAll(() => t?.close());

  it('never sends a post awaiting approval from a slot; once approved, the next slot takes it', async () => {
    t = await startConsoleHarness({
      yaml: CONSOLE_CONFIG.replace(
        'schedule: { mode: slots',
        'approval: required\n    schedule: { mode: slots',
      ),
    });
    await t.publish('storm.txt');
    const li = { articleId: ID, platform: 'linkedin' as const, account: 'li-page' };
    await until(async () => (await t.h.ctx.ledger.get(li))?.state === 'awaiting-approval');
    const schedule = schedulesOf(t.h.ctx.config).find((s): s is PostSchedule => s.name === 'post-li-page')!;
    const queue = new SlotQueue(t.h.ctx.redis, t.h.prefix);
    expect(await queue.count('li-page')).toBe(0);
    const slot = new Date();
    expect(await runPostSlot(t.h.ctx, queue, schedule, slot)).toMatchObject({
      outcome: 'skipped',
      reason: 'nothing-waiting',
    });
    // Even a post that found its way into the slot queue is dropped there, not sent.
    await queue.add({ ...li, articleKey: 'k', correlationId: 'c' });
    expect(await runPostSlot(t.h.ctx, queue, schedule, new Date(slot.getTime() + 60_000))).toMatchObject({
      outcome: 'skipped',
      reason: 'nothing-waiting',
    });
    expect(t.h.fakes.linkedin.posts()).toHaveLength(0);
    const { approvePost } = await import('../../src/control/approval.js');
    await approvePost(t.h.ctx, publishJobId(ID, 'li-page'));
    expect(await queue.count('li-page')).toBe(1);
    expect(await runPostSlot(t.h.ctx, queue, schedule, new Date(slot.getTime() + 120_000))).toMatchObject({
      outcome: 'enqueued',
    });
    await until(() => t.h.fakes.linkedin.posts().length === 1);
  });
});
