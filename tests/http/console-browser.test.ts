import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleId, canonicalKey } from '../../src/articles/article.js';
import type { LedgerRef } from '../../src/ledger/ledger.js';
import { publishJobId } from '../../src/queue/names.js';
import {
  type ConsoleHarness,
  OPERATOR_PASSWORD,
  OPERATOR_USER,
  STORM_URL,
  startConsoleHarness,
} from '../helpers/console.js';
import { until } from '../helpers/pipeline.js';

const CHROMIUM = '/usr/bin/chromium';
const ID = articleId(canonicalKey(STORM_URL));
const X: LedgerRef = { articleId: ID, platform: 'twitter', account: 'x-main' };
const X_ID = publishJobId(ID, 'x-main');
/** Set to a folder (docs/) to write the README's screenshots there. */
const SHOTS = process.env.CRIER_SCREENSHOT_DIR;
/** Deadlines scale on a loaded machine (CRIER_TEST_SLOWDOWN=3 triples them). */
const WAIT = { timeout: 10_000 * Number(process.env.CRIER_TEST_SLOWDOWN ?? 1) };

/** WCAG contrast of every piece of visible text on the page against its background: the lowest ratios found. */
async function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lum = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const parse = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0.5)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent?.trim()) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const fg = parse(getComputedStyle(el).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
      const ratio = (a! + 0.05) / (b! + 0.05);
      if (ratio < 4.5) out.push(`${ratio.toFixed(2)} "${n.textContent.trim().slice(0, 40)}"`);
    }
    return out;
  });
}

/** Form fields without a label (hidden fields aside) and buttons without a name. */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      const f = el as HTMLInputElement;
      if (!f.labels?.length && !f.getAttribute('aria-label')) out.push(f.outerHTML.slice(0, 80));
    }
    for (const b of document.querySelectorAll('button')) if (!b.textContent?.trim()) out.push(b.outerHTML);
    return out;
  });
}

describe('newsroom console in headless Chromium (real Redis, BullMQ, fakes)', () => {
  let t: ConsoleHarness;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    // No skip: a machine without Chromium must fail this test (npm test installs it, see scripts/ensure-test-tools.mjs).
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    t = await startConsoleHarness();
    await t.publish('storm.txt');
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'awaiting-approval');
    await until(() => t.h.fakes.facebook.posts().length === 1);
    profile = mkdtempSync(join(tmpdir(), 'crier-console-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    // Offline: nothing but the console itself answers (article images from other sites are refused).
    const origin = new URL(t.server.url).origin;
    await browser.route(
      (url) => url.origin !== origin,
      (route) => route.abort(),
    );
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (m) => {
      // Refused images from other sites (offline) and the 422 of a refused edit are expected.
      if (m.type() === 'error' && !/net::ERR_FAILED|status of 422/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', async (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      // Only the console's own confirmations are expected (never an alert from article content).
      if (d.type() === 'confirm') await d.accept();
      else await d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('logs in with the keyboard alone', async () => {
    await page.goto(`${t.server.url}/`);
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/login');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('user');
    await page.keyboard.type(OPERATOR_USER);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Queue: every post not sent yet' }).waitFor();
    expect(await unlabelled(page)).toEqual([]);
  });

  it('shows the scheduled posts in the queue, each with its preview', async () => {
    await page.goto(`${t.server.url}/`);
    const li = page.getByRole('region', { name: /li-page/ });
    await li.locator('.state-slot').waitFor();
    expect(await li.locator('time').first().textContent()).toMatch(/08:00 \(Europe\/Paris\)/);
    expect(await lowContrast(page)).toEqual([]);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: resolve(SHOTS, 'console-queue.png'), fullPage: true });
    }
    await page
      .getByRole('region', { name: /x-main/ })
      .getByRole('link', { name: /Storm Tests the North Sea/ })
      .click();
    const preview = page.getByRole('article', { name: 'Preview on X for x-main' });
    await preview.waitFor();
    expect(await preview.textContent()).toMatch(/\d+\/280 weighted characters/);
    expect(await preview.getByRole('link', { name: 'news.example.org/2026/11/…' }).getAttribute('href')).toBe(
      STORM_URL,
    );
    expect(await lowContrast(page)).toEqual([]);
    expect(await unlabelled(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: resolve(SHOTS, 'console-preview.png'), fullPage: true });
    // The LinkedIn preview folds at "…see more", and opens with the keyboard.
    await page.goto(`${t.server.url}/posts/${publishJobId(ID, 'li-page')}`);
    const fold = page.locator('details.fold summary');
    await fold.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('details.fold').getAttribute('open')).not.toBeNull();
    if (SHOTS)
      await page.screenshot({ path: resolve(SHOTS, 'console-preview-linkedin.png'), fullPage: true });
  });

  it('refuses an edit past 280 weighted characters and says by how much', async () => {
    await page.goto(`${t.server.url}/posts/${X_ID}`);
    const long = `${'The storm tested every link and the backup held. '.repeat(6).trim()}\n\n${STORM_URL}`;
    await page.getByLabel('Post text on X').fill(long);
    // Progressive enhancement: the count follows the typing, measured by the server's validator.
    await expect
      .poll(() => page.locator('#edit-count').textContent(), WAIT)
      .toMatch(/^\d+\/280 weighted characters: X post is/);
    await page.getByRole('button', { name: 'Save the text' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    const n = Number(/X post is (\d+)\/280 weighted characters/.exec(text)?.[1]);
    expect(n).toBeGreaterThan(280);
    expect(text).toContain(`shorten it by ${n - 280}`);
    expect((await t.h.ctx.ledger.get(X))!.post.text).not.toBe(long);
    const ok = `The North Sea links held through the storm, operators said.\n\n${STORM_URL}`;
    await page.getByLabel('Post text on X').fill(ok);
    await page.getByRole('button', { name: 'Save the text' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await t.h.ctx.ledger.get(X))!.post.text).toBe(ok);
  });

  it('approves the post and it reaches the fake platform', async () => {
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText(/Approved post-/).waitFor();
    await until(() => t.h.fakes.twitter.posts().length === 1);
    expect(t.h.fakes.twitter.posts()[0]!.text).toBe(
      `The North Sea links held through the storm, operators said.\n\n${STORM_URL}`,
    );
    await until(async () => (await t.h.ctx.ledger.get(X))?.state === 'posted');
  });

  it('retracts it and the fake deletes it', async () => {
    await page.goto(`${t.server.url}/posts/${X_ID}`);
    const tweet = t.h.fakes.twitter.posts()[0]!;
    await page.getByRole('button', { name: 'Retract (delete on the platform)' }).click();
    await page.getByText(/Retracted post-/).waitFor();
    expect(dialogs).toEqual(['confirm: Delete this post on the platform? It will never be posted again.']);
    expect(t.h.fakes.twitter.deleted().map((d) => d.id)).toEqual([tweet.id]);
    expect(t.h.fakes.twitter.posts()).toHaveLength(0);
    expect((await t.h.ctx.ledger.get(X))!.state).toBe('retracted');
    await page.goto(`${t.server.url}/history`);
    await page.getByText('retracted').first().waitFor();
  });

  it('logs out; the console then asks to log in again', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/login');
    await page.goto(`${t.server.url}/posts/${X_ID}`);
    await expect.poll(() => new URL(page.url()).pathname, WAIT).toBe('/login');
    // No script error, no CSP violation, no dialog but the console's own confirmation, all along.
    expect(problems).toEqual([]);
    expect(dialogs.every((d) => d.startsWith('confirm:'))).toBe(true);
  });
});
